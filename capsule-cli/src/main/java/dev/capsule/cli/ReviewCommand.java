package dev.capsule.cli;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.review.Finding;
import dev.capsule.runtime.review.PackageReview;
import dev.capsule.runtime.review.ReviewReport;
import dev.capsule.runtime.review.Severity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Run the registry's automated review on a package or a source directory (as 'capsule pack' would pack it):",
            "manifest and limits, JavaScript static analysis, secrets, URLs, wx APIs, privacy consistency.",
            "Prints one line per finding (severity, rule, file:line, explanation); exits 1 if a critical finding blocks approval."})
final class ReviewCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.capsule|DIR")
    Path input;

    @Option(names = "--json", description = "Print the report as one JSON object (format capsule-review/1) instead of text.")
    boolean json;

    @Option(names = "--html", paramLabel = "OUT", description = "Also write the report as a standalone HTML page to OUT.")
    Path html;

    @Override
    public Integer call() throws CliFailure {
        ReviewReport report;
        try {
            report = Files.isDirectory(input, LinkOption.NOFOLLOW_LINKS) ? PackageReview.reviewDirectory(input) : PackageReview.reviewFile(input);
        } catch (IOException e) {
            throw CliFailure.usage("cannot read " + input + ": " + CliIo.describe(e));
        }
        if (html != null) {
            CliIo.writeAtomically(html, report.toHtml("Capsule review of " + input.getFileName()).getBytes(StandardCharsets.UTF_8));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new String(report.toJson(), StandardCharsets.UTF_8));
        } else {
            report.findings().forEach(f -> out.println(line(f)));
            out.println(summary(report));
        }
        if (report.blocking()) {
            throw CliFailure.rejected("blocking: " + report.counts().get(Severity.CRITICAL) + " critical finding(s)");
        }
        return ExitCode.OK;
    }

    /** {@code severity rule path:line: explanation}, every guest-influenced part escaped. */
    static String line(Finding f) {
        String where = f.path() == null ? "-" : f.line() > 0 ? f.path() + ":" + f.line() : f.path();
        String advisory = f.advisory() == null ? ""
                : " [" + f.advisory().id() + (f.advisory().fixedVersion() == null ? "" : ", fixed in " + f.advisory().fixedVersion()) + "]";
        return SafeText.escape(f.severity().code() + " " + f.rule() + " " + where + ": " + f.explanation() + advisory, 2 * SafeText.MESSAGE_CHARS_MAX);
    }

    private static String summary(ReviewReport report) {
        List<String> parts = new ArrayList<>();
        for (Severity s : Severity.values()) {
            parts.add(report.counts().get(s) + " " + s.code());
        }
        return report.findings().size() + " finding(s): " + String.join(", ", parts.reversed())
                + (report.blocking() ? "; blocking" : "; not blocking");
    }
}
