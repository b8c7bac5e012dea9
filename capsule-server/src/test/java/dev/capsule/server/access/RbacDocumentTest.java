package dev.capsule.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.internal.EndpointCatalog;
import dev.capsule.server.access.internal.EndpointCatalog.Endpoint;
import dev.capsule.server.access.internal.Requirement;
import dev.capsule.testing.server.CapsuleServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * docs/rbac.md and the code agree: its generated sections (the matrix from {@link Permission}, the
 * endpoint list from the running server's {@link EndpointCatalog}) are rendered again and compared.
 * To refresh them after a change: {@code -Dcapsule.docs.update=true}, or copy the sections from
 * {@code capsule-server/target/rbac.md}, which every run writes.
 */
@CapsuleServerTest
class RbacDocumentTest {
    private static final Pattern SECTION = Pattern.compile(
            "(<!-- BEGIN GENERATED: ([a-z]+) -->\n)(.*?)(<!-- END GENERATED: \\2 -->)", Pattern.DOTALL);

    @Autowired
    EndpointCatalog catalog;

    @Test
    void docsRbacMdMatchesTheMatrixAndTheEndpoints() throws IOException {
        Path document = Path.of(System.getProperty("capsule.repo.root", "..")).resolve("docs/rbac.md");
        assertThat(document).as("docs/rbac.md must exist").exists();
        String current = Files.readString(document);
        List<Endpoint> endpoints = catalog.endpoints().stream()
                .filter(endpoint -> endpoint.pattern().startsWith("/api/"))
                .filter(endpoint -> !(endpoint.requirement() instanceof Requirement.ChainOnly))
                .toList();
        Map<String, String> sections = new LinkedHashMap<>();
        sections.put("matrix", matrix(endpoints));
        sections.put("endpoints", endpoints(endpoints));
        sections.put("stepup", stepUp(endpoints));

        Matcher matcher = SECTION.matcher(current);
        StringBuilder expected = new StringBuilder();
        Set<String> seen = new TreeSet<>();
        while (matcher.find()) {
            String name = matcher.group(2);
            assertThat(sections).as("unknown generated section " + name).containsKey(name);
            seen.add(name);
            matcher.appendReplacement(expected, Matcher.quoteReplacement(matcher.group(1) + sections.get(name) + matcher.group(4)));
        }
        matcher.appendTail(expected);
        assertThat(seen).as("docs/rbac.md has every generated section").isEqualTo(sections.keySet().stream().collect(
                java.util.stream.Collectors.toCollection(TreeSet::new)));
        Path target = Path.of("target/rbac.md");
        Files.writeString(target, expected);
        if (Boolean.getBoolean("capsule.docs.update")) {
            Files.writeString(document, expected);
        }
        assertThat(current).as("docs/rbac.md is out of date; see " + target.toAbsolutePath()
                + " (or run with -Dcapsule.docs.update=true)").isEqualTo(expected.toString());
    }

    static String matrix(List<Endpoint> endpoints) {
        Set<Permission> inUse = new TreeSet<>();
        endpoints.forEach(endpoint -> {
            if (endpoint.requirement() instanceof Requirement.Needs needs) {
                inUse.add(needs.permission());
            }
        });
        StringBuilder table = new StringBuilder("| Permission | Allows |");
        for (Role role : Role.values()) {
            table.append(' ').append(role.code()).append(" |");
        }
        table.append(" API key | Guards an endpoint today |\n|---|---|");
        table.append("---|".repeat(Role.values().length)).append("---|---|\n");
        for (Permission permission : Permission.values()) {
            table.append("| `").append(permission.code()).append("` | ").append(permission.description()).append(" |");
            for (Role role : Role.values()) {
                table.append(permission.roles().contains(role) ? " ✓ |" : "   |");
            }
            table.append(permission.machineGrantable() ? " may be granted |" : " never |");
            table.append(inUse.contains(permission) ? " yes |" : " not yet (roadmap) |").append('\n');
        }
        return table.toString();
    }

    static String endpoints(List<Endpoint> endpoints) {
        StringBuilder table = new StringBuilder("| Method | Path | Needs |\n|---|---|---|\n");
        for (Endpoint endpoint : endpoints) {
            String needs = switch (endpoint.requirement()) {
                case Requirement.Public p -> "nothing (public)";
                case Requirement.Authenticated a -> "any authenticated caller";
                case Requirement.Operator o -> "any signed-in operator (not an API key)"
                        + (o.stepUp().always() ? " + step-up" : o.stepUp().when().isEmpty() ? "" : " + step-up when " + o.stepUp().when());
                case Requirement.Needs n -> "`" + n.permission().code() + "`" + (n.stepUp() ? " + step-up" : "");
                case Requirement.Undeclared u -> "**nothing declared: refused for everyone**";
                case Requirement.ChainOnly c -> throw new AssertionError("filtered out");
            };
            table.append("| ").append(endpoint.method()).append(" | `").append(endpoint.pattern()).append("` | ")
                    .append(needs).append(" |\n");
        }
        return table.toString();
    }

    /** Every action that needs step-up: declared on the endpoint, enforced by the interceptor (or by the service, when conditional). */
    static String stepUp(List<Endpoint> endpoints) {
        StringBuilder table = new StringBuilder("| Method | Path | Step-up |\n|---|---|---|\n");
        for (Endpoint endpoint : endpoints) {
            String rule = switch (endpoint.requirement()) {
                case Requirement.Needs n when n.stepUp() -> "always (after `" + n.permission().code() + "`)";
                case Requirement.Operator o when o.stepUp().always() -> "always";
                case Requirement.Operator o when !o.stepUp().when().isEmpty() -> "when " + o.stepUp().when() + " (checked by the service)";
                default -> null;
            };
            if (rule != null) {
                table.append("| ").append(endpoint.method()).append(" | `").append(endpoint.pattern()).append("` | ")
                        .append(rule).append(" |\n");
            }
        }
        return table.toString();
    }
}
