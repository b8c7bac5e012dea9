package dev.capsule.runtime.review;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects findings with a bound per file and rule, so that one file repeating a pattern (a
 * thousand URLs) costs a few findings and a count, not a thousand.
 */
final class Findings {
    /** Findings of one rule in one file beyond this are counted in one {@link Rule#REVIEW_REPEATED} finding. */
    static final int PER_FILE_RULE_MAX = 20;

    private final List<Finding> list = new ArrayList<>();
    private final Map<Key, Integer> perFileRule = new HashMap<>();

    private record Key(String path, Rule rule) {}

    /** Adds a finding of {@code rule} in file {@code path} (never null) at {@code line}. */
    void add(Rule rule, String path, int line, String explanation) {
        int n = perFileRule.merge(new Key(Objects.requireNonNull(path, "path"), rule), 1, Integer::sum);
        if (n <= PER_FILE_RULE_MAX) {
            list.add(rule.at(path, line, explanation));
        }
    }

    /** The findings, with one count per file and rule that went over the bound. */
    List<Finding> list() {
        List<Finding> all = new ArrayList<>(list);
        perFileRule.forEach((key, n) -> {
            if (n > PER_FILE_RULE_MAX) {
                all.add(Rule.REVIEW_REPEATED.at(key.path(), 0,
                        (n - PER_FILE_RULE_MAX) + " more " + key.rule().id() + " findings in this file are not listed"));
            }
        });
        return all;
    }
}
