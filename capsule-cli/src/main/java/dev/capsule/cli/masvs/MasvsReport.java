package dev.capsule.cli.masvs;

import dev.capsule.cli.masvs.ReportDocument.Block;
import dev.capsule.cli.masvs.ReportDocument.Bullets;
import dev.capsule.cli.masvs.ReportDocument.Heading;
import dev.capsule.cli.masvs.ReportDocument.Labelled;
import dev.capsule.cli.masvs.ReportDocument.Paragraph;
import dev.capsule.cli.masvs.ReportDocument.Table;
import dev.capsule.cli.masvs.TestResults.Outcome;
import dev.capsule.cli.masvs.TestResults.TestResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MASVS report's one model: the catalogue, each named test's last result, the live evidence and whether the
 * check ran; {@link #document()} is what both outputs print.
 *
 * @param unchecked why the check was not made (tests skipped or filtered), or empty when {@link #problems()} decides
 */
public record MasvsReport(MasvsCatalogue catalogue, TestResults results, LiveEvidence live, Instant generatedAt,
        Optional<String> unchecked) {

    /**
     * Every claim a test does not back: a test named by a control that did not run or did not pass, one line each
     * ({@code MASVS-CRYPTO-2 claims dev.capsule.X, which did not run}).
     */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (MasvsControl control : catalogue.controls()) {
            for (String test : control.tests()) {
                TestResult result = results.of(test);
                if (result.outcome() != Outcome.PASSED) {
                    problems.add(control.id() + " claims " + test + ", which " + (result.outcome() == Outcome.DID_NOT_RUN
                            ? "did not run" : "was " + result.outcome().label())
                            + result.note().map(n -> " (" + n + ")").orElse(""));
                }
            }
        }
        return problems;
    }

    /** How many controls have each status. */
    public Map<ControlStatus, Integer> statusCounts() {
        Map<ControlStatus, Integer> counts = new EnumMap<>(ControlStatus.class);
        for (ControlStatus status : ControlStatus.values()) {
            counts.put(status, 0);
        }
        catalogue.controls().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        return counts;
    }

    /** How many of the named test classes had each outcome (each class once). */
    public Map<Outcome, Integer> outcomeCounts() {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, 0);
        }
        catalogue.testClasses().forEach(t -> counts.merge(results.of(t).outcome(), 1, Integer::sum));
        return counts;
    }

    /** The report as a document. */
    public ReportDocument document() {
        List<Block> blocks = new ArrayList<>();
        blocks.add(new Paragraph("Generated " + generatedAt.truncatedTo(ChronoUnit.SECONDS) + " by capsule report masvs, from the"
                + " catalogue in capsule-cli (" + MasvsCatalogue.RESOURCE.substring(1) + "), the test reports found and the server"
                + " named by --url. A claim names the tests that show it; a control that is not met or does not apply says why"
                + " and claims no test."));
        blocks.add(new Paragraph(catalogue.scope()));

        blocks.add(new Heading(1, "Summary"));
        Map<ControlStatus, Integer> statuses = statusCounts();
        blocks.add(new Table(List.of("status", "controls"), statuses.entrySet().stream()
                .map(e -> List.of(e.getKey().label(), Integer.toString(e.getValue()))).toList()));
        Map<Outcome, Integer> outcomes = outcomeCounts();
        blocks.add(new Table(List.of("last result of the named test classes", "classes"), outcomes.entrySet().stream()
                .map(e -> List.of(e.getKey().label(), Integer.toString(e.getValue()))).toList()));
        blocks.add(new Labelled("Check", checkSentence()));

        blocks.add(new Heading(1, "Live evidence"));
        switch (live) {
            case LiveEvidence.NotFetched notFetched -> blocks.add(new Paragraph("Not fetched: " + notFetched.reason() + "."));
            case LiveEvidence.Fetched fetched -> {
                blocks.add(new Paragraph("From " + fetched.server() + " (GET /api/v1/compliance/evidence), at the time above."
                        + (fetched.cut() ? " The answer had more than " + LiveEvidence.FACTS_MAX + " facts; the rest are left out." : "")));
                blocks.add(new Table(List.of("fact", "value"),
                        fetched.facts().stream().map(f -> List.of(f.name(), f.value())).toList()));
            }
        }

        blocks.add(new Heading(1, "Controls"));
        for (MasvsControl control : catalogue.controls()) {
            blocks.add(new Heading(2, control.id() + ": " + control.statement()));
            blocks.add(new Labelled("Status", control.status().label()));
            control.reason().ifPresent(r -> blocks.add(new Labelled(control.status() == ControlStatus.PARTLY ? "Gap" : "Why", r)));
            if (!control.tests().isEmpty()) {
                blocks.add(new Table(List.of("test class", "last result", "tests", "time", "report written"),
                        control.tests().stream().map(t -> testRow(results.of(t))).toList()));
            }
            if (!control.configuration().isEmpty()) {
                blocks.add(new Labelled("Configuration", ""));
                blocks.add(new Bullets(control.configuration()));
            }
            if (!control.logProofs().isEmpty()) {
                blocks.add(new Table(List.of("audit log entry type", "what its entries show"),
                        control.logProofs().stream().map(p -> List.of(p.event(), p.shows())).toList()));
            }
        }
        return new ReportDocument("Capsule: OWASP MASVS " + catalogue.version() + ", control by control", blocks);
    }

    /** One sentence on the check, as the report and the command print it. */
    public String checkSentence() {
        if (unchecked.isPresent()) {
            return "not checked: " + unchecked.get() + ".";
        }
        List<String> problems = problems();
        if (problems.isEmpty()) {
            return "every test a control claims ran and passed.";
        }
        long classes = catalogue.testClasses().stream().filter(t -> results.of(t).outcome() != Outcome.PASSED).count();
        return classes + " of the " + catalogue.testClasses().size() + " named test classes did not run or did not pass ("
                + problems.size() + " claims not backed); first: " + problems.getFirst() + ".";
    }

    private static List<String> testRow(TestResult result) {
        String outcome = result.outcome().label() + result.note().map(n -> " (" + n + ")").orElse("")
                + (result.outcome() == Outcome.FAILED && result.problems() > 0 ? ": " + result.problems() + " failed" : "")
                + (result.skipped() > 0 && result.outcome() != Outcome.SKIPPED ? ", " + result.skipped() + " skipped" : "");
        boolean ran = result.outcome() != Outcome.DID_NOT_RUN;
        return List.of(result.className(), outcome, ran ? Integer.toString(result.tests()) : "",
                ran ? String.format(Locale.ROOT, "%.3f s", result.seconds()) : "",
                result.at().map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(""));
    }
}
