package dev.capsule.core.release;

import dev.capsule.core.crypto.KeyId;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.json.CanonicalJson;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.SemanticVersion;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * One entry of the release transparency log: a canonical JSON object ({@link CanonicalJson}) whose {@code "type"}
 * says which record it is. The log's leaf hashes cover exactly {@link #toCanonicalJson()}. Times are RFC 3339 UTC
 * with whole seconds ({@code 2026-12-06T21:50:35Z}); digests are {@code sha256:<64 hex>}. docs/releases.md lists
 * every field.
 *
 * <p>Security guarantees: every record validates its fields in its constructor, so an entry object is always
 * well formed; {@link #parse} accepts only the canonical bytes of a valid entry of a known type: an unknown type,
 * an unknown or missing field, a wrong value type or a non-canonical byte form (member order, whitespace,
 * escaping) is refused. One entry therefore has exactly one byte form and one leaf hash.
 */
public sealed interface ReleaseEntry {
    /** An entry is a few hundred bytes; more is not one. */
    int ENTRY_BYTES_MAX = 4096;

    /** The {@code "type"} code. */
    String type();

    /** When the platform recorded the change. */
    Instant time();

    /** The fields, {@code type} included, as {@link CanonicalJson} writes them. */
    Map<String, Object> fields();

    /** The entry's bytes: canonical JSON, exactly what the log's leaf hash covers. */
    default byte[] toCanonicalJson() {
        return CanonicalJson.bytes(fields());
    }

    /**
     * A package version approved and countersigned by the platform.
     *
     * @param packageDigest SHA-256 of the package's digest manifest (what developer and platform signatures cover)
     * @param developerKeyId the key id of the developer key that signed the package
     * @param sbomDigest SHA-256 of the CycloneDX SBOM kept with the version
     * @param findingsDigest SHA-256 of the automated review's findings report (JSON) kept with the version
     * @param approver the operator who approved
     * @param preset the risk profile the reviewer picked
     */
    record Release(String appId, String version, Sha256 packageDigest, KeyId developerKeyId, Sha256 sbomDigest,
            Sha256 findingsDigest, String approver, RiskProfile preset, Instant time) implements ReleaseEntry {
        static final String TYPE = "release";
        static final Set<String> FIELDS = Set.of("type", "appId", "version", "packageDigest", "developerKeyId", "sbomDigest",
                "findingsDigest", "approver", "preset", "time");

        public Release {
            Fields.appId(appId);
            Fields.version(version, "version");
            Objects.requireNonNull(packageDigest, "packageDigest");
            Objects.requireNonNull(developerKeyId, "developerKeyId");
            Objects.requireNonNull(sbomDigest, "sbomDigest");
            Objects.requireNonNull(findingsDigest, "findingsDigest");
            Fields.actor(approver, "approver");
            Objects.requireNonNull(preset, "preset");
            Fields.time(time, "time");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> fields = base(TYPE, time);
            fields.put("appId", appId);
            fields.put("version", version);
            fields.put("packageDigest", Fields.digestText(packageDigest));
            fields.put("developerKeyId", developerKeyId.hex());
            fields.put("sbomDigest", Fields.digestText(sbomDigest));
            fields.put("findingsDigest", Fields.digestText(findingsDigest));
            fields.put("approver", approver);
            fields.put("preset", preset.code());
            return fields;
        }

        /** The version as a comparable value. */
        public SemanticVersion semanticVersion() {
            return SemanticVersion.parse(version);
        }
    }

    /**
     * The share of users served {@code version}: {@code percent} of them by a stable hash of their pairwise id. It
     * only grows for one version; {@code paused} stops it growing.
     */
    record Rollout(String appId, String version, int percent, boolean paused, String actor, Instant time) implements ReleaseEntry {
        static final String TYPE = "rollout";
        static final Set<String> FIELDS = Set.of("type", "appId", "version", "percent", "paused", "actor", "time");

        public Rollout {
            Fields.appId(appId);
            Fields.version(version, "version");
            if (percent < 0 || percent > 100) {
                throw new IllegalArgumentException("percent must be 0..100");
            }
            Fields.actor(actor, "actor");
            Fields.time(time, "time");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> fields = base(TYPE, time);
            fields.put("appId", appId);
            fields.put("version", version);
            fields.put("percent", percent);
            fields.put("paused", paused);
            fields.put("actor", actor);
            return fields;
        }
    }

    /**
     * The platform serves {@code version}, an earlier approved version, again instead of {@code from}: the entry a
     * client needs to accept a version lower than one it has seen.
     */
    record Rollback(String appId, String version, String from, String actor, Instant time) implements ReleaseEntry {
        static final String TYPE = "rollback";
        static final Set<String> FIELDS = Set.of("type", "appId", "version", "from", "actor", "time");

        public Rollback {
            Fields.appId(appId);
            Fields.version(version, "version");
            Fields.version(from, "from");
            if (!SemanticVersion.parse(version).isLowerThan(SemanticVersion.parse(from))) {
                throw new IllegalArgumentException("a rollback goes to a lower version than 'from'");
            }
            Fields.actor(actor, "actor");
            Fields.time(time, "time");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> fields = base(TYPE, time);
            fields.put("appId", appId);
            fields.put("version", version);
            fields.put("from", from);
            fields.put("actor", actor);
            return fields;
        }
    }

    /** The kill switch: {@code version} of {@code appId} is revoked; {@code sequence} is the revocation list that first lists it. */
    record Revocation(long sequence, String appId, String version, String reason, String actor, Instant time) implements ReleaseEntry {
        static final String TYPE = "revocation";
        static final Set<String> FIELDS = Set.of("type", "sequence", "appId", "version", "reason", "actor", "time");

        public Revocation {
            if (sequence < 1) {
                throw new IllegalArgumentException("sequence must be >= 1");
            }
            Fields.appId(appId);
            Fields.version(version, "version");
            Fields.reason(reason);
            Fields.actor(actor, "actor");
            Fields.time(time, "time");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> fields = base(TYPE, time);
            fields.put("sequence", sequence);
            fields.put("appId", appId);
            fields.put("version", version);
            fields.put("reason", reason);
            fields.put("actor", actor);
            return fields;
        }
    }

    /** The platform-wide minimum runtime version from now on. */
    record MinimumRuntime(String version, String actor, Instant time) implements ReleaseEntry {
        static final String TYPE = "minimum-runtime";
        static final Set<String> FIELDS = Set.of("type", "version", "actor", "time");

        public MinimumRuntime {
            Fields.version(version, "version");
            Fields.actor(actor, "actor");
            Fields.time(time, "time");
        }

        @Override
        public String type() {
            return TYPE;
        }

        @Override
        public Map<String, Object> fields() {
            Map<String, Object> fields = base(TYPE, time);
            fields.put("version", version);
            fields.put("actor", actor);
            return fields;
        }
    }

    /**
     * Parses entry bytes strictly (see the class comment).
     *
     * @throws ReleaseFormatException naming the first problem in one line
     */
    static ReleaseEntry parse(byte[] bytes) throws ReleaseFormatException {
        ReleaseEntry entry;
        try {
            JsonObject json = StrictJson.parseObject(bytes, "release entry", ENTRY_BYTES_MAX);
            String type = json.requireString("type");
            entry = switch (type) {
                case Release.TYPE -> {
                    json.rejectUnknownFields(Release.FIELDS);
                    yield new Release(json.requireString("appId"), json.requireString("version"),
                            Fields.parseDigest(json.requireString("packageDigest"), "packageDigest"),
                            new KeyId(json.requireString("developerKeyId")),
                            Fields.parseDigest(json.requireString("sbomDigest"), "sbomDigest"),
                            Fields.parseDigest(json.requireString("findingsDigest"), "findingsDigest"),
                            json.requireString("approver"), RiskProfile.fromCode(json.requireString("preset")), time(json));
                }
                case Rollout.TYPE -> {
                    json.rejectUnknownFields(Rollout.FIELDS);
                    yield new Rollout(json.requireString("appId"), json.requireString("version"),
                            (int) json.requireLong("percent", 0, 100), json.requireBoolean("paused"), json.requireString("actor"), time(json));
                }
                case Rollback.TYPE -> {
                    json.rejectUnknownFields(Rollback.FIELDS);
                    yield new Rollback(json.requireString("appId"), json.requireString("version"), json.requireString("from"),
                            json.requireString("actor"), time(json));
                }
                case Revocation.TYPE -> {
                    json.rejectUnknownFields(Revocation.FIELDS);
                    yield new Revocation(json.requireLong("sequence", 1, Long.MAX_VALUE), json.requireString("appId"),
                            json.requireString("version"), json.requireString("reason"), json.requireString("actor"), time(json));
                }
                case MinimumRuntime.TYPE -> {
                    json.rejectUnknownFields(MinimumRuntime.FIELDS);
                    yield new MinimumRuntime(json.requireString("version"), json.requireString("actor"), time(json));
                }
                default -> throw new ReleaseFormatException("release entry: unknown type '" + type
                        + "' (known: release, rollout, rollback, revocation, minimum-runtime)");
            };
        } catch (JsonFormatException e) {
            throw new ReleaseFormatException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ReleaseFormatException("release entry: " + e.getMessage());
        }
        if (!Arrays.equals(entry.toCanonicalJson(), bytes)) {
            throw new ReleaseFormatException("release entry: not in canonical JSON form (RFC 8785: sorted members, no whitespace)");
        }
        return entry;
    }

    private static Instant time(JsonObject json) throws JsonFormatException {
        return Fields.parseTime(json.requireString("time"), "time");
    }

    private static Map<String, Object> base(String type, Instant time) {
        Map<String, Object> fields = new TreeMap<>();
        fields.put("type", type);
        fields.put("time", Fields.timeText(time));
        return fields;
    }
}
