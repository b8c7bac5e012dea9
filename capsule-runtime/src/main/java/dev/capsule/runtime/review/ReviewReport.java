package dev.capsule.runtime.review;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The findings of an automated review, in one stable order, with their JSON and HTML forms. Reports
 * from several sources (the package review, the supply-chain scan) are joined with {@link #with} or
 * {@link #combine}; the result does not depend on the order they are joined in.
 *
 * <p>Security guarantees:
 * <ul>
 *   <li>Order: findings are sorted by severity (worst first), then path, line, rule, explanation and
 *       advisory: a total order, so the same findings always give the same list, the same
 *       {@link #toJson} bytes and the same {@link #digest}, whatever order they were found in.</li>
 *   <li>Bounded: at most {@link #FINDINGS_MAX} findings are kept (the worst ones, by the order
 *       above); when more were found the report says so with a {@code review.truncated} finding, so a
 *       flood of harmless findings cannot hide nor crowd out a critical one and the report stays small.</li>
 *   <li>{@link #blocking} is true exactly when a {@link Severity#CRITICAL} finding is present.</li>
 *   <li>{@link #toJson}: compact UTF-8 JSON re-serialized from the values, keys in a fixed (sorted)
 *       order, every control, format and separator character escaped ({@link SafeText#jsonText}).</li>
 *   <li>{@link #toHtml}: one standalone page with no script, no external resources and a
 *       Content-Security-Policy of {@code default-src 'none'}; every finding field is HTML-escaped
 *       after {@link SafeText#escape}, so guest text (file names, quoted strings) is shown, never
 *       interpreted.</li>
 * </ul>
 */
public final class ReviewReport {
    /** Format tag of {@link #toJson}. */
    public static final String FORMAT = "capsule-review/1";
    /** Most findings a report keeps; a package that produces more gets the worst ones and a note. */
    public static final int FINDINGS_MAX = 2000;
    /** Rule id of the note that findings were left out. */
    public static final String TRUNCATED_RULE = "review.truncated";

    private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.<String>naturalOrder());
    /** The total order of findings (see class comment). */
    public static final Comparator<Finding> ORDER = Comparator.comparing(Finding::severity, Comparator.reverseOrder())
            .thenComparing(Finding::path, NULLS_FIRST)
            .thenComparingInt(Finding::line)
            .thenComparing(Finding::rule)
            .thenComparing(Finding::explanation)
            .thenComparing(f -> f.advisory() == null ? null : f.advisory().id(), NULLS_FIRST)
            .thenComparing(f -> f.advisory() == null ? null : f.advisory().fixedVersion(), NULLS_FIRST);

    private static final ReviewReport EMPTY = new ReviewReport(List.of(), 0);

    private final List<Finding> findings;
    /** How many findings were left out to stay within {@link #FINDINGS_MAX} (including those left out before). */
    private final long omitted;

    private ReviewReport(List<Finding> sortedFindings, long omitted) {
        this.findings = sortedFindings;
        this.omitted = omitted;
    }

    /** A report of no findings. */
    public static ReviewReport empty() {
        return EMPTY;
    }

    /** A report of {@code findings}, sorted and bounded. */
    public static ReviewReport of(Collection<Finding> findings) {
        return build(findings, 0);
    }

    /** One report of every finding of {@code reports}: the same whatever their order. */
    public static ReviewReport combine(Collection<ReviewReport> reports) {
        List<Finding> all = new ArrayList<>();
        long omitted = 0;
        for (ReviewReport r : reports) {
            all.addAll(r.findingsWithoutNote());
            omitted += r.omitted;
        }
        return build(all, omitted);
    }

    /** This report with {@code more} findings added (from another source). */
    public ReviewReport with(Collection<Finding> more) {
        return combine(List.of(this, of(more)));
    }

    private static ReviewReport build(Collection<Finding> findings, long omittedBefore) {
        List<Finding> sorted = new ArrayList<>(findings.size());
        for (Finding f : findings) {
            sorted.add(Objects.requireNonNull(f, "finding"));
        }
        sorted.sort(ORDER);
        long omitted = omittedBefore;
        if (sorted.size() > FINDINGS_MAX) {
            omitted += sorted.size() - FINDINGS_MAX;
            sorted = new ArrayList<>(sorted.subList(0, FINDINGS_MAX));
        }
        if (omitted > 0) {
            sorted.add(new Finding(TRUNCATED_RULE, Severity.INFO, null, 0,
                    omitted + " more findings were left out; the report keeps the " + FINDINGS_MAX + " most severe"));
            sorted.sort(ORDER);
        }
        return new ReviewReport(Collections.unmodifiableList(sorted), omitted);
    }

    private List<Finding> findingsWithoutNote() {
        return omitted == 0 ? findings : findings.stream().filter(f -> !f.rule().equals(TRUNCATED_RULE)).toList();
    }

    /** The findings in {@link #ORDER}. */
    public List<Finding> findings() {
        return findings;
    }

    /** How many findings of each severity, every severity present (0 when none). */
    public Map<Severity, Integer> counts() {
        Map<Severity, Integer> counts = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            counts.put(s, 0);
        }
        findings.forEach(f -> counts.merge(f.severity(), 1, Integer::sum));
        return Collections.unmodifiableMap(counts);
    }

    /** True if approval is blocked: some finding is {@link Severity#CRITICAL}. */
    public boolean blocking() {
        return findings.stream().anyMatch(f -> f.severity() == Severity.CRITICAL);
    }

    /**
     * The report as JSON: {@code {"blocking", "counts": {severity: n}, "findings": [{"advisory"?: {"fixed"?, "id"},
     * "explanation", "line", "path"?, "rule", "severity"}], "format"}}, keys sorted, absent values left out.
     */
    public byte[] toJson() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("blocking", blocking());
        ObjectNode counts = root.putObject("counts");
        // Severity codes in sorted order (critical, high, info, low, medium): the keys stay sorted.
        counts().entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.comparing(Severity::code)))
                .forEach(e -> counts.put(e.getKey().code(), e.getValue()));
        ArrayNode list = root.putArray("findings");
        for (Finding f : findings) {
            ObjectNode o = list.addObject();
            if (f.advisory() != null) {
                ObjectNode a = o.putObject("advisory");
                if (f.advisory().fixedVersion() != null) {
                    a.put("fixed", f.advisory().fixedVersion());
                }
                a.put("id", f.advisory().id());
            }
            o.put("explanation", f.explanation());
            o.put("line", f.line());
            if (f.path() != null) {
                o.put("path", f.path());
            }
            o.put("rule", f.rule());
            o.put("severity", f.severity().code());
        }
        root.put("format", FORMAT);
        return SafeText.jsonText(StrictJson.mapper().writeValueAsString(root)).getBytes(StandardCharsets.UTF_8);
    }

    /** SHA-256 of {@link #toJson}: what a release entry's {@code findingsDigest} names. */
    public Sha256 digest() {
        return Sha256.of(toJson());
    }

    /** The report as a standalone HTML page titled {@code title} (escaped like everything else). */
    public String toHtml(String title) {
        String t = html(title == null ? "Review report" : title);
        StringBuilder h = new StringBuilder(4096 + findings.size() * 256);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>").append(t).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}")
                .append("td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}")
                .append("td.path,td.rule{font-family:monospace;word-break:break-all}")
                .append(".critical{background:#fdd}.high{background:#fed}.medium{background:#ffd}")
                .append("</style>\n</head>\n<body>\n<h1>").append(t).append("</h1>\n");
        h.append("<p>").append(blocking() ? "<strong>Blocking:</strong> a critical finding blocks approval." : "Not blocking: no critical finding.")
                .append("</p>\n<ul class=\"counts\">\n");
        for (Severity s : Severity.values()) {
            h.append("<li>").append(s.code()).append(": ").append(counts().get(s)).append("</li>\n");
        }
        h.append("</ul>\n<table>\n<thead><tr><th>severity</th><th>rule</th><th>file</th><th>line</th><th>explanation</th><th>advisory</th></tr></thead>\n<tbody>\n");
        for (Finding f : findings) {
            h.append("<tr class=\"").append(f.severity().code()).append("\"><td>").append(f.severity().code())
                    .append("</td><td class=\"rule\">").append(html(f.rule()))
                    .append("</td><td class=\"path\">").append(f.path() == null ? "" : html(f.path()))
                    .append("</td><td>").append(f.line() == 0 ? "" : Integer.toString(f.line()))
                    .append("</td><td>").append(html(f.explanation()))
                    .append("</td><td>");
            if (f.advisory() != null) {
                h.append(html(f.advisory().id()));
                if (f.advisory().fixedVersion() != null) {
                    h.append(" (fixed in ").append(html(f.advisory().fixedVersion())).append(')');
                }
            }
            h.append("</td></tr>\n");
        }
        return h.append("</tbody>\n</table>\n</body>\n</html>\n").toString();
    }

    /** Text made inert in HTML element content and quoted attributes, unsafe characters shown as escapes. */
    static String html(String text) {
        String safe = SafeText.escape(text, Finding.PATH_CHARS_MAX + Finding.EXPLANATION_CHARS_MAX);
        StringBuilder out = new StringBuilder(safe.length() + 16);
        for (int i = 0; i < safe.length(); i++) {
            char c = safe.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReviewReport r && r.findings.equals(findings);
    }

    @Override
    public int hashCode() {
        return findings.hashCode();
    }

    @Override
    public String toString() {
        return "ReviewReport[" + findings.size() + " findings" + (blocking() ? ", blocking" : "") + "]";
    }
}
