package dev.capsule.core.pkg;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * What project.config.json leaves out of a package: WeChat's {@code packOptions.ignore} (rules of
 * type file, folder, suffix, prefix, glob or regexp, each matched against the path relative to the
 * project root) and the {@code cloudfunctionRoot} folder (cloud functions are deployed apart).
 */
final class PackIgnore {
    static final String CONFIG_FILE = "project.config.json";
    static final int RULES_MAX = 200;
    private static final Set<String> TYPES = Set.of("file", "folder", "suffix", "prefix", "glob", "regexp");

    /** Steps one regexp rule may take on one path: enough for any sane rule, fatal to catastrophic backtracking. */
    static final int REGEXP_STEPS_MAX = 100_000;

    private final List<Predicate<String>> rules;
    /** The cloud-function folder with a trailing '/', or "" when there is none. */
    private final String cloudFunctionRoot;

    private PackIgnore(List<Predicate<String>> rules, String cloudFunctionRoot) {
        this.rules = List.copyOf(rules);
        this.cloudFunctionRoot = cloudFunctionRoot;
    }

    static final PackIgnore NONE = new PackIgnore(List.of(), "");

    /** Whether {@code folder} (relative, ending in '/') is project.config.json's {@code cloudfunctionRoot}. */
    boolean isCloudFunctionRoot(String folder) {
        return !cloudFunctionRoot.isEmpty() && folder.equals(cloudFunctionRoot);
    }

    boolean ignores(String path) throws PackageException {
        try {
            return rules.stream().anyMatch(rule -> rule.test(path));
        } catch (StepBudgetExceeded e) {
            throw new PackageException(Reason.INVALID_MANIFEST, CONFIG_FILE + ": a packOptions.ignore regexp takes too long on '"
                    + PackagePaths.printable(path) + "' (more than " + REGEXP_STEPS_MAX + " steps)");
        }
    }

    /** Thrown by {@link BudgetedChars} when a regular expression reads more characters than allowed. */
    private static final class StepBudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StepBudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** A path as the regexp engine sees it, counting every character read: bounded work per match. */
    private static final class BudgetedChars implements CharSequence {
        private final String text;
        private int steps;

        BudgetedChars(String text) {
            this.text = text;
        }

        @Override
        public char charAt(int index) {
            if (++steps > REGEXP_STEPS_MAX) {
                throw new StepBudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return text.substring(start, end);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** Reads the rules from project.config.json bytes; other fields of that WeChat file are left alone. */
    static PackIgnore parse(byte[] projectConfig) throws PackageException {
        try {
            JsonObject root = StrictJson.parseObject(projectConfig, CONFIG_FILE, 1024 * 1024);
            String cloudFunctionRoot = root.has("cloudfunctionRoot") ? folder(root.requireString("cloudfunctionRoot")) : "";
            JsonObject packOptions = root.optionalObject("packOptions");
            if (packOptions == null) {
                return new PackIgnore(List.of(), cloudFunctionRoot);
            }
            List<JsonNode> items = packOptions.optionalArray("ignore", RULES_MAX);
            List<Predicate<String>> rules = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = JsonObject.element(items.get(i), packOptions, "ignore", i);
                String type = item.requireString("type");
                String value = item.requireString("value");
                if (!TYPES.contains(type)) {
                    throw item.at(item.child("type"), "'" + type + "' is not one of " + String.join(", ", TYPES.stream().sorted().toList()));
                }
                rules.add(rule(item, type, value));
            }
            return new PackIgnore(rules, cloudFunctionRoot);
        } catch (JsonFormatException e) {
            throw new PackageException(Reason.INVALID_MANIFEST, e.getMessage());
        }
    }

    private static Predicate<String> rule(JsonObject item, String type, String rawValue) throws JsonFormatException {
        String value = rawValue.startsWith("./") ? rawValue.substring(2) : rawValue;
        return switch (type) {
            case "file" -> path -> path.equals(value);
            case "folder" -> {
                String folder = value.endsWith("/") ? value : value + "/";
                yield path -> path.startsWith(folder);
            }
            case "suffix" -> path -> path.endsWith(value);
            case "prefix" -> path -> fileName(path).startsWith(value);
            case "glob" -> {
                try {
                    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + value);
                    yield path -> matcher.matches(Path.of(path));
                } catch (IllegalArgumentException e) {
                    throw item.at(item.child("value"), "not a valid glob: " + e.getMessage());
                }
            }
            case "regexp" -> {
                try {
                    Pattern pattern = Pattern.compile(value);
                    yield path -> pattern.matcher(new BudgetedChars(path)).find();
                } catch (PatternSyntaxException e) {
                    throw item.at(item.child("value"), "not a valid regular expression: " + e.getDescription());
                }
            }
            default -> throw new IllegalStateException("unreachable: type checked above");
        };
    }

    /** "./cloudfunctions" and "cloudfunctions/" alike become "cloudfunctions/"; "" stays "" (none). */
    private static String folder(String value) {
        String folder = value.startsWith("./") ? value.substring(2) : value;
        return folder.isEmpty() || folder.endsWith("/") ? folder : folder + "/";
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
