package dev.capsule.core.osv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-memory {@link AdvisorySource}: advisories indexed by (ecosystem, name) of each {@code affected[]} package. For
 * offline tools that read an OSV export themselves (and for tests); the server keeps its own indexed store.
 *
 * <p>Security guarantees: {@link #add} keeps one advisory per id, the newer {@code modified} winning (a re-added older
 * copy never replaces a newer one); the answer for a package is complete or, beyond
 * {@link AdvisorySource#ADVISORIES_PER_PACKAGE_MAX}, an exception.
 */
public final class AdvisoryIndex implements AdvisorySource {
    private record Key(String ecosystem, String name) {}

    private final Map<String, Advisory> byId = new HashMap<>();
    private final Map<Key, List<String>> idsByPackage = new HashMap<>();

    public synchronized void add(Advisory advisory) {
        Advisory old = byId.get(advisory.id());
        if (old != null && !advisory.modified().isAfter(old.modified())) {
            return;
        }
        if (old != null) {
            for (AffectedPackage entry : old.affected()) {
                idsByPackage.getOrDefault(key(entry.pkg()), new ArrayList<>()).remove(old.id());
            }
        }
        byId.put(advisory.id(), advisory);
        for (AffectedPackage entry : advisory.affected()) {
            List<String> ids = idsByPackage.computeIfAbsent(key(entry.pkg()), k -> new ArrayList<>());
            if (!ids.contains(advisory.id())) {
                ids.add(advisory.id());
            }
        }
    }

    public synchronized int size() {
        return byId.size();
    }

    @Override
    public synchronized List<Advisory> affecting(PackageRef pkg) throws AdvisoryLookupException {
        List<String> ids = idsByPackage.getOrDefault(key(pkg), List.of());
        if (ids.size() > ADVISORIES_PER_PACKAGE_MAX) {
            throw new AdvisoryLookupException("more than " + ADVISORIES_PER_PACKAGE_MAX + " advisories for one package");
        }
        return ids.stream().map(byId::get).toList();
    }

    private static Key key(PackageRef pkg) {
        return new Key(pkg.ecosystem(), pkg.name());
    }
}
