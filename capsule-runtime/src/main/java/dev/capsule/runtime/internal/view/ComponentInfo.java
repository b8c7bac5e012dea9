package dev.capsule.runtime.internal.view;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import dev.capsule.runtime.view.wxml.StyleIsolation;
import tools.jackson.databind.JsonNode;

/**
 * What the view engine needs to know about a component definition ({@code Component()} with its
 * behaviors merged), as the components layer reports it through {@link ComponentHost#describe}.
 *
 * @param path the component's package path without extension ({@code components/card/card})
 * @param properties declared properties by name (only these are passed from the parent's template)
 * @param externalClasses declared external class names ({@code externalClasses: ['my-class']})
 * @param options the {@code options} block
 * @param relations declared relations by key (the key as written, e.g. {@code ./custom-li})
 * @param behaviors ids of the behaviors the component uses (transitively), matched by relation targets
 */
public record ComponentInfo(
        String path,
        Map<String, Property> properties,
        List<String> externalClasses,
        Options options,
        Map<String, Relation> relations,
        List<String> behaviors) {

    public ComponentInfo {
        Objects.requireNonNull(path, "path");
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties)); // declaration order, in every JVM
        externalClasses = List.copyOf(externalClasses);
        Objects.requireNonNull(options, "options");
        relations = Map.copyOf(relations);
        behaviors = List.copyOf(behaviors);
    }

    /** A component with no properties, external classes, relations or behaviors and default options. */
    public static ComponentInfo plain(String path) {
        return new ComponentInfo(path, Map.of(), List.of(), Options.DEFAULT, Map.of(), List.of());
    }

    /** A property's value type as WeChat declares it ({@code String}, {@code Number}, ..., {@code null} = any). */
    public enum PropertyType {
        STRING,
        NUMBER,
        BOOLEAN,
        OBJECT,
        ARRAY,
        ANY
    }

    /**
     * One declared property.
     *
     * @param type the declared type
     * @param optionalTypes the {@code optionalTypes} also accepted
     * @param defaultValue the {@code value} (a MissingNode when none: WeChat's per-type default applies)
     */
    public record Property(String name, PropertyType type, List<PropertyType> optionalTypes, JsonNode defaultValue) {
        public Property {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            optionalTypes = List.copyOf(optionalTypes);
            Objects.requireNonNull(defaultValue, "defaultValue");
        }
    }

    /**
     * The {@code options} block.
     *
     * @param pureDataPattern the {@code pureDataPattern} regular expression source, or null: data fields
     *     whose name matches are not visible to the template
     */
    public record Options(
            boolean multipleSlots,
            StyleIsolation styleIsolation,
            boolean addGlobalClass,
            String pureDataPattern,
            boolean virtualHost) {

        public static final Options DEFAULT = new Options(false, StyleIsolation.ISOLATED, false, null, false);

        public Options {
            Objects.requireNonNull(styleIsolation, "styleIsolation");
            if (pureDataPattern != null) {
                try {
                    Pattern.compile(pureDataPattern);
                } catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("pureDataPattern is not a regular expression: " + e.getDescription());
                }
            }
        }
    }

    /** A relation's {@code type}. */
    public enum RelationType {
        PARENT,
        CHILD,
        ANCESTOR,
        DESCENDANT
    }

    /**
     * One declared relation.
     *
     * @param key the key as written in {@code relations} (what {@code getRelationNodes} is called with)
     * @param type parent/child/ancestor/descendant
     * @param targetPath the related component's resolved path (from the key), or null when {@code target} names a behavior
     * @param targetBehavior the behavior id of {@code target}, or null
     */
    public record Relation(String key, RelationType type, String targetPath, String targetBehavior) {
        public Relation {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(type, "type");
            if ((targetPath == null) == (targetBehavior == null)) {
                throw new IllegalArgumentException("relation " + key + " needs exactly one of targetPath, targetBehavior");
            }
        }

        /** Whether a component described by {@code other} is what this relation points at. */
        public boolean matches(ComponentInfo other) {
            return targetPath != null ? targetPath.equals(other.path()) : other.behaviors().contains(targetBehavior);
        }
    }
}
