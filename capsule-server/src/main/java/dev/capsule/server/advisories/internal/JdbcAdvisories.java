package dev.capsule.server.advisories.internal;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.osv.OsvParser;
import dev.capsule.core.osv.PackageRef;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The imported advisories (V70) as an {@link AdvisorySource}: one query per lookup over the (ecosystem, name) index,
 * withdrawn advisories left out in SQL, documents parsed again on the way out.
 *
 * <p>Security guarantees: refuses every lookup while no import has completed (an empty store is not "no
 * vulnerabilities"); a package with more than {@link AdvisorySource#ADVISORIES_PER_PACKAGE_MAX} advisories, a stored
 * document that no longer parses, or a database failure is an {@link AdvisoryLookupException}, never a shorter list.
 */
@Component
class JdbcAdvisories implements AdvisorySource {
    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    /** Set once a completed import is seen: imports are never deleted, so it stays true. */
    private volatile boolean imported;

    JdbcAdvisories(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    @Override
    public List<Advisory> affecting(PackageRef pkg) throws AdvisoryLookupException {
        return affecting(List.of(pkg)).get(PackageRef.of(pkg.ecosystem(), pkg.name()));
    }

    @Override
    public Map<PackageRef, List<Advisory>> affecting(Collection<PackageRef> packages) throws AdvisoryLookupException {
        if (packages.size() > PACKAGES_PER_LOOKUP_MAX) {
            throw new AdvisoryLookupException("more than " + PACKAGES_PER_LOOKUP_MAX + " packages in one lookup");
        }
        requireImport();
        Map<PackageRef, List<Advisory>> result = new LinkedHashMap<>();
        String[] ecosystems = new String[packages.size()];
        String[] names = new String[packages.size()];
        int i = 0;
        for (PackageRef pkg : packages) {
            PackageRef key = PackageRef.of(pkg.ecosystem(), pkg.name());
            result.put(key, new ArrayList<>());
            ecosystems[i] = key.ecosystem();
            names[i++] = key.name();
        }
        if (packages.isEmpty()) {
            return result;
        }
        record Row(String ecosystem, String name, String id, byte[] document) {}
        List<Row> rows = new ArrayList<>();
        try {
            template.execute((ConnectionCallback<Void>) connection -> {
                // LIMIT guards the answer as a whole; per package the count is checked below.
                try (PreparedStatement statement = connection.prepareStatement("""
                        SELECT f.ecosystem, f.name, a.id, a.document
                        FROM unnest(?::text[], ?::text[]) AS wanted(ecosystem, name)
                        JOIN osv_affected f ON f.ecosystem = wanted.ecosystem AND f.name = wanted.name
                        JOIN osv_advisories a ON a.id = f.advisory_id
                        WHERE a.withdrawn IS NULL
                        ORDER BY f.ecosystem, f.name, a.id
                        LIMIT ?""")) {
                    statement.setArray(1, connection.createArrayOf("text", ecosystems));
                    statement.setArray(2, connection.createArrayOf("text", names));
                    statement.setLong(3, (long) ADVISORIES_PER_PACKAGE_MAX * packages.size() + 1);
                    try (var set = statement.executeQuery()) {
                        while (set.next()) {
                            rows.add(new Row(set.getString(1), set.getString(2), set.getString(3), set.getBytes(4)));
                        }
                    }
                }
                return null;
            });
        } catch (DataAccessException e) {
            throw new AdvisoryLookupException("the advisory store cannot be read", e);
        }
        Map<String, Advisory> parsed = new HashMap<>();
        for (Row row : rows) {
            List<Advisory> list = result.get(PackageRef.of(row.ecosystem(), row.name()));
            if (list.size() >= ADVISORIES_PER_PACKAGE_MAX) {
                throw new AdvisoryLookupException("more than " + ADVISORIES_PER_PACKAGE_MAX + " advisories for one package");
            }
            Advisory advisory = parsed.get(row.id());
            if (advisory == null) {
                try {
                    advisory = OsvParser.parse(row.document(), row.id());
                } catch (JsonFormatException e) {
                    throw new AdvisoryLookupException("stored advisory " + row.id() + " no longer parses: " + e.getMessage());
                }
                parsed.put(row.id(), advisory);
            }
            list.add(advisory);
        }
        return result;
    }

    private void requireImport() throws AdvisoryLookupException {
        if (imported) {
            return;
        }
        try {
            imported = jdbc.sql("SELECT EXISTS (SELECT 1 FROM osv_imports WHERE outcome = 'completed')").query(Boolean.class).single();
        } catch (DataAccessException e) {
            throw new AdvisoryLookupException("the advisory store cannot be read", e);
        }
        if (!imported) {
            throw new AdvisoryLookupException("no OSV advisories have been imported: run capsule osv import FILE.zip first");
        }
    }
}
