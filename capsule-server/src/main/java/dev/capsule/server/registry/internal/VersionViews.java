package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.HostName;
import java.time.Instant;
import java.util.List;

/**
 * What the API shows of versions: re-serialized from parsed values (developer text is data in JSON, never
 * markup). Digests are {@code sha256:<hex>}.
 */
final class VersionViews {
    private VersionViews() {
    }

    record ExceptionView(String recordedBy, Instant recordedAt, String reason) {
    }

    record VersionView(String id, String app, String organisation, String version, String state, String packageSha256,
                       String packageDigest, String developerKeyId, String findingsDigest, String sbomDigest,
                       int criticalFindings, String submittedBy, Instant submittedAt, String decidedBy, Instant decidedAt,
                       String decisionReason, String preset, ExceptionView exception) {
        static VersionView of(StoredVersion v) {
            return new VersionView(v.id().toString(), v.app().value(), v.organisation().toString(), v.version(), v.state().code(),
                    digest(v.packageSha256()), digest(v.digestManifestSha256()), v.developerKeyId(), digest(v.findingsSha256()),
                    digest(v.sbomSha256()), v.criticalFindings(), v.submittedBy(), v.submittedAt(), v.decidedBy(), v.decidedAt(),
                    v.decisionReason(), v.preset() == null ? null : v.preset().code(),
                    v.exception() == null ? null : new ExceptionView(v.exception().recordedBy(), v.exception().recordedAt(),
                            v.exception().reason()));
        }
    }

    /** A risk assessment: the answers' codes, the derived and approved profiles, the reason for a raise. */
    record RiskView(String data, String users, String money, String derived, String approved, boolean raised, String raiseReason,
                    String assessedBy, Instant assessedAt) {
        static RiskView of(dev.capsule.server.registry.RiskAssessment a) {
            return new RiskView(a.answers().data().code(), a.answers().users().code(), a.answers().money().code(), a.derived().code(),
                    a.approved().code(), a.raised(), a.raiseReason(), a.assessedBy(), a.assessedAt());
        }
    }

    /** The questionnaire as the API and the console show it: each question's field, text and answers. */
    record QuestionView(String field, String text, List<AnswerView> answers) {
        static List<QuestionView> all() {
            return dev.capsule.server.registry.RiskQuestionnaire.QUESTIONS.stream().map(q -> new QuestionView(q.field(), q.text(),
                    q.answers().stream().map(a -> new AnswerView(a.code(), a.meaning())).toList())).toList();
        }
    }

    record AnswerView(String code, String meaning) {
    }

    record Developer(String id, String name) {
    }

    record Network(List<String> request, List<String> uploadFile, List<String> downloadFile, List<String> connectSocket) {
    }

    record Privacy(String data, List<String> apis, String purpose) {
    }

    record Dependency(String ecosystem, String name, String version) {
    }

    /** capsule.json as the reviewer needs it: who, which hosts, which personal data for what purpose, which libraries. */
    record ManifestView(String id, String version, String name, Developer developer, Network network, List<Privacy> privacy,
                        List<Dependency> dependencies) {
        static ManifestView of(CapsuleManifest m) {
            CapsuleManifest.Network n = m.network();
            return new ManifestView(m.id(), m.version(), m.name(), new Developer(m.developer().id(), m.developer().name()),
                    new Network(hosts(n.request()), hosts(n.uploadFile()), hosts(n.downloadFile()), hosts(n.connectSocket())),
                    m.privacy().stream().map(p -> new Privacy(p.data(), p.apis(), p.purpose())).toList(),
                    m.dependencies().stream().map(d -> new Dependency(d.ecosystem(), d.name(), d.version())).toList());
        }

        private static List<String> hosts(List<HostName> hosts) {
            return hosts.stream().map(h -> h.port() == HostName.DEFAULT_PORT ? h.host() : h.host() + ":" + h.port()).toList();
        }
    }

    record DiffView(String base, String baseVersion, List<FileView> files, boolean truncated) {
        static DiffView of(java.util.Optional<StoredVersion> base, PackageDiff diff) {
            return new DiffView(base.map(b -> b.id().toString()).orElse(null), base.map(StoredVersion::version).orElse(null),
                    diff.files().stream().map(f -> new FileView(f.path(), f.change().code(), f.textDiff(), f.note())).toList(),
                    diff.truncated());
        }
    }

    record FileView(String path, String change, List<String> textDiff, String note) {
    }

    static String digest(Sha256 sha256) {
        return sha256 == null ? null : "sha256:" + sha256.hex();
    }
}
