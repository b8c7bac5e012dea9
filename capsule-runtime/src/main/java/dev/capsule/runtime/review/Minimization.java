package dev.capsule.runtime.review;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The data-minimization report of a package: for each personal-data declaration of capsule.json's {@code privacy}
 * (its data category, purpose and APIs) whether the code uses each declared API, and each personal-data API the code
 * uses without a declaration. It is the review's own privacy analysis ({@link PackageReview#analyse}: the same scan
 * that raises {@code privacy.unused} and {@code privacy.undeclared}), not a second scanner, so the report and the
 * findings never disagree.
 *
 * <p>Security guarantees: a function of the package only (the same package gives the same {@link #toJson} bytes:
 * declarations and their APIs in capsule.json's order, undeclared APIs sorted by name); API names are the registry's
 * personal-data names ({@code wx.} prefixed); developer text (data, purpose) is JSON data, escaped by the writer.
 *
 * @param declared   capsule.json's declarations, in order
 * @param undeclared personal-data APIs used but declared nowhere, by name
 */
public record Minimization(List<Declared> declared, List<Used> undeclared) {
    /** Format tag of {@link #toJson}. */
    public static final String FORMAT = "capsule-minimization/1";

    public Minimization {
        declared = List.copyOf(declared);
        undeclared = List.copyOf(undeclared);
    }

    /** One declaration: its data category, its purpose text, and each API it names with its use. */
    public record Declared(String data, String purpose, List<DeclaredApi> apis) {
        public Declared {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(purpose, "purpose");
            apis = List.copyOf(apis);
        }

        /** Whether the code uses at least one of the declaration's APIs. */
        public boolean used() {
            return apis.stream().anyMatch(DeclaredApi::used);
        }
    }

    /**
     * A declared API and whether the code uses it.
     *
     * @param use where it is used; {@code null} when never
     */
    public record DeclaredApi(String api, Used use) {
        public DeclaredApi {
            Objects.requireNonNull(api, "api");
        }

        public boolean used() {
            return use != null;
        }
    }

    /**
     * A personal-data API the code uses.
     *
     * @param uses      how many call sites the review saw
     * @param firstPath the file of the first one (in the review's file order)
     * @param firstLine its line
     */
    public record Used(String api, int uses, String firstPath, int firstLine) {
        public Used {
            Objects.requireNonNull(api, "api");
            Objects.requireNonNull(firstPath, "firstPath");
            if (uses < 1 || firstLine < 0) {
                throw new IllegalArgumentException("a used API has at least one use and a line of 0 or more");
            }
        }
    }

    /** Whether every declared API is used and every used API is declared. */
    public boolean minimal() {
        return undeclared.isEmpty() && declared.stream().allMatch(d -> d.apis().stream().allMatch(DeclaredApi::used));
    }

    /** Compact UTF-8 JSON, keys sorted: {@code {"declared":[…],"format":…,"minimal":…,"undeclared":[…]}}. */
    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        ArrayNode declarations = root.putArray("declared");
        for (Declared d : declared) {
            ObjectNode node = declarations.addObject();
            ArrayNode apis = node.putArray("apis");
            for (DeclaredApi api : d.apis()) {
                ObjectNode a = apis.addObject();
                a.put("api", api.api());
                if (api.used()) {
                    use(a.putObject("use"), api.use());
                }
                a.put("used", api.used());
            }
            node.put("data", d.data());
            node.put("purpose", d.purpose());
            node.put("used", d.used());
        }
        root.put("format", FORMAT);
        root.put("minimal", minimal());
        ArrayNode missing = root.putArray("undeclared");
        for (Used u : undeclared) {
            ObjectNode node = missing.addObject();
            node.put("api", u.api());
            use(node, u);
        }
        return SafeText.jsonText(StrictJson.mapper().writeValueAsString(root)).getBytes(StandardCharsets.UTF_8);
    }

    private static void use(ObjectNode node, Used use) {
        node.put("firstLine", use.firstLine());
        node.put("firstPath", use.firstPath());
        node.put("uses", use.uses());
    }
}
