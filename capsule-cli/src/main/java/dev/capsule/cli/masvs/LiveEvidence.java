package dev.capsule.cli.masvs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** What the report says about the running server: fetched facts, or why none were fetched. */
public sealed interface LiveEvidence {
    /** Most facts the report lists (a server's answer with more is cut, and the report says so). */
    int FACTS_MAX = 500;
    /** Longest value printed; a longer one is cut in the middle. */
    int VALUE_CHARS_MAX = 600;

    /** No server was asked (no {@code --url}). */
    record NotFetched(String reason) implements LiveEvidence {
    }

    /**
     * The server's {@code GET /api/v1/compliance/evidence}, flattened into dotted names and values.
     *
     * @param cut whether the answer had more than {@link #FACTS_MAX} facts
     */
    record Fetched(String server, List<Fact> facts, boolean cut) implements LiveEvidence {
        public Fetched {
            facts = List.copyOf(facts);
        }
    }

    /** One fact: {@code database.fsync} = {@code on}. */
    record Fact(String name, String value) {
    }

    /** The facts of a JSON answer, depth first in the server's order: objects by name, arrays by index. */
    static Fetched flatten(String server, JsonNode answer) {
        List<Fact> facts = new ArrayList<>();
        boolean cut = flatten("", answer, facts);
        return new Fetched(server, facts, cut);
    }

    private static boolean flatten(String name, JsonNode node, List<Fact> facts) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                if (flatten(name.isEmpty() ? field.getKey() : name + "." + field.getKey(), field.getValue(), facts)) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            if (node.isEmpty()) {
                return add(facts, name, "(none)");
            }
            for (int i = 0; i < node.size(); i++) {
                if (flatten(name + "[" + i + "]", node.get(i), facts)) {
                    return true;
                }
            }
            return false;
        }
        return add(facts, name, node.isNull() ? "(none)" : node.isString() ? node.stringValue() : node.toString());
    }

    private static boolean add(List<Fact> facts, String name, String value) {
        if (facts.size() >= FACTS_MAX) {
            return true;
        }
        facts.add(new Fact(name, value.length() <= VALUE_CHARS_MAX ? value
                : value.substring(0, VALUE_CHARS_MAX / 2) + " … " + value.substring(value.length() - VALUE_CHARS_MAX / 2)));
        return false;
    }
}
