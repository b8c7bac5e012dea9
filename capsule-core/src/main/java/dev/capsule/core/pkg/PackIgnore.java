package dev.capsule.core.pkg;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import tools.jackson.databind.JsonNode;

/**
 * WeChat's {@code packOptions.ignore} from project.config.json: rules of type file, folder, suffix,
 * prefix, glob or regexp, each matched against the path relative to the mini-program's root
 * ({@code miniprogramRoot}), ignoring case as WeChat's tools do.
 */
final class PackIgnore {
    static final String CONFIG_FILE = ProjectConfig.FILE_NAME;
    static final int RULES_MAX = 200;
    private static final Set<String> TYPES = Set.of("file", "folder", "suffix", "prefix", "glob", "regexp");

    /** Steps one regexp rule may take on one path: enough for any sane rule, fatal to catastrophic backtracking. */
    static final int REGEXP_STEPS_MAX = 100_000;

    /** Each rule sees the path in lower case against a lower-cased value (a regexp also matches ignoring case): WeChat ignores case. */
    private final List<Predicate<String>> rules;

    private PackIgnore(List<Predicate<String>> rules) {
        this.rules = List.copyOf(rules);
    }

    static final PackIgnore NONE = new PackIgnore(List.of());

    boolean ignores(String path) throws PackageException {
        try {
            String lower = path.toLowerCase(Locale.ROOT);
            return rules.stream().anyMatch(rule -> rule.test(lower));
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

    /** Reads the rules from project.config.json's {@code packOptions}; other fields of that WeChat file are not its concern. */
    static PackIgnore parse(JsonObject projectConfig) throws JsonFormatException {
        JsonObject packOptions = projectConfig.optionalObject("packOptions");
        if (packOptions == null) {
            return NONE;
        }
        List<JsonNode> items = packOptions.optionalArray("ignore", RULES_MAX);
        List<Predicate<String>> rules = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), packOptions, "ignore", i);
            String type = item.requireString("type");
            String value = item.requireString("value");
            if (!TYPES.contains(type)) {
                throw item.at(item.child("type"), "'" + PackagePaths.printable(type) + "' is not one of "
                        + String.join(", ", TYPES.stream().sorted().toList()));
            }
            rules.add(rule(item, type, value));
        }
        return new PackIgnore(rules);
    }

    private static Predicate<String> rule(JsonObject item, String type, String rawValue) throws JsonFormatException {
        String exact = rawValue.startsWith("./") ? rawValue.substring(2) : rawValue;
        String value = exact.toLowerCase(Locale.ROOT);
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
                    // The path it sees is in lower case; the pattern as written, matching ignoring case.
                    Pattern pattern = Pattern.compile(exact, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
                    yield path -> pattern.matcher(new BudgetedChars(path)).find();
                } catch (PatternSyntaxException e) {
                    throw item.at(item.child("value"), "not a valid regular expression: " + e.getDescription());
                }
            }
            default -> throw new IllegalStateException("unreachable: type checked above");
        };
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
