package dev.capsule.server.host.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.HostName;
import dev.capsule.core.manifest.PrivacyDigest;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A mini-program's privacy label, generated from the release a user is served (never written by hand): each personal-data
 * declaration of its capsule.json {@code privacy} (data category, purpose text, APIs), the developer organisation as
 * the registry names it, and the network hosts capsule.json allows it to contact; {@code digest} is the version of the
 * privacy text ({@link PrivacyDigest}) that continuing past the label is remembered under.
 *
 * <p>Security guarantees: every field is platform data (the verified release's manifest, the registry's organisation)
 * and is printed by the template through {@code th:text} only; nothing comes from guest code at run time.
 *
 * @param hosts every host of capsule.json's {@code network} lists (request, uploadFile, downloadFile, connectSocket),
 *              with its port when not 443, sorted and without repeats
 */
public record PrivacyLabel(CatalogueEntry entry, List<Declaration> declarations, List<String> hosts, PrivacyDigest digest) {
    public PrivacyLabel {
        Objects.requireNonNull(entry, "entry");
        declarations = List.copyOf(declarations);
        hosts = List.copyOf(hosts);
        Objects.requireNonNull(digest, "digest");
    }

    /** One declared data category: what, why, through which APIs. */
    public record Declaration(String data, String purpose, List<String> apis) {
        public Declaration {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(purpose, "purpose");
            apis = List.copyOf(apis);
        }
    }

    /** The label of {@code manifest} as released to the user, shown under {@code entry}. */
    static PrivacyLabel of(CatalogueEntry entry, CapsuleManifest manifest) {
        TreeSet<String> hosts = new TreeSet<>();
        CapsuleManifest.Network n = manifest.network();
        for (List<HostName> list : List.of(n.request(), n.uploadFile(), n.downloadFile(), n.connectSocket())) {
            list.forEach(h -> hosts.add(h.port() == HostName.DEFAULT_PORT ? h.host() : h.host() + ":" + h.port()));
        }
        return new PrivacyLabel(entry, manifest.privacy().stream().map(d -> new Declaration(d.data(), d.purpose(), d.apis())).toList(),
                List.copyOf(hosts), PrivacyDigest.of(manifest.privacy()));
    }
}
