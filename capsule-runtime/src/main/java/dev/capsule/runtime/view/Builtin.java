package dev.capsule.runtime.view;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One built-in component: the HTML element it renders as, the attributes it accepts (beyond the ones
 * every element accepts, {@link Builtins#COMMON_ATTRIBUTES}), the events it emits beyond the common
 * touch events, and how it differs from WeChat's.
 */
public record Builtin(String tag, String element, List<Attribute> attributes, List<String> events, String differences) {
    public Builtin {
        Objects.requireNonNull(tag, "tag");
        Objects.requireNonNull(element, "element");
        attributes = List.copyOf(attributes);
        events = List.copyOf(events);
        Objects.requireNonNull(differences, "differences");
        var seen = new LinkedHashMap<String, Attribute>();
        for (Attribute a : attributes) {
            if (seen.put(a.name(), a) != null) {
                throw new IllegalArgumentException(tag + " lists " + a.name() + " twice");
            }
        }
    }

    /** An allowed attribute: its name, value kind and (for {@link ValueKind#ENUM}) choices. */
    public record Attribute(String name, ValueKind kind, List<String> choices) {
        public Attribute {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            choices = List.copyOf(choices);
            if ((kind == ValueKind.ENUM) == choices.isEmpty()) {
                throw new IllegalArgumentException(name + ": choices belong to enums only");
            }
        }

        /** How docs/view.md shows it: {@code name} (kind) or {@code name} (a|b). */
        public String describe() {
            return "`" + name + "` (" + (kind == ValueKind.ENUM ? String.join("\\|", choices) : kind.label()) + ")";
        }
    }

    /** The attribute rule for {@code name}, from this component's list or the common ones. */
    public Optional<Attribute> attribute(String name) {
        for (Attribute a : attributes) {
            if (a.name().equals(name)) {
                return Optional.of(a);
            }
        }
        return Optional.ofNullable(Builtins.COMMON_ATTRIBUTES.get(name));
    }

    static Map<String, Attribute> byName(List<Attribute> attributes) {
        var map = new LinkedHashMap<String, Attribute>();
        attributes.forEach(a -> map.put(a.name(), a));
        return map;
    }
}
