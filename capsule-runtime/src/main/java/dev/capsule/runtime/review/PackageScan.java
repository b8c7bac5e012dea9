package dev.capsule.runtime.review;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.HostName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/** What the file reviews of one package share: its allowed hosts, the findings, the personal-data APIs used. */
final class PackageScan {
    private final Set<HostName> allowedHosts;
    private final Findings findings = new Findings();
    /** Personal-data API name → where it is used, in the order found. */
    private final TreeMap<String, List<Use>> uses = new TreeMap<>();

    record Use(String path, int line) {}

    PackageScan(CapsuleManifest manifest) {
        Set<HostName> hosts = new HashSet<>();
        CapsuleManifest.Network n = manifest.network();
        hosts.addAll(n.request());
        hosts.addAll(n.uploadFile());
        hosts.addAll(n.downloadFile());
        hosts.addAll(n.connectSocket());
        this.allowedHosts = Set.copyOf(hosts);
    }

    Set<HostName> allowedHosts() {
        return allowedHosts;
    }

    Findings findings() {
        return findings;
    }

    void personalDataUse(String api, String path, int line) {
        uses.computeIfAbsent(api, a -> new ArrayList<>()).add(new Use(path, line));
    }

    /** Personal-data API name → its uses. */
    TreeMap<String, List<Use>> uses() {
        return uses;
    }
}
