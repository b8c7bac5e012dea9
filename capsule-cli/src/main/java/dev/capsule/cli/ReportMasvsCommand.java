package dev.capsule.cli;

import dev.capsule.cli.masvs.ControlStatus;
import dev.capsule.cli.masvs.HtmlReport;
import dev.capsule.cli.masvs.LiveEvidence;
import dev.capsule.cli.masvs.MasvsCatalogue;
import dev.capsule.cli.masvs.MasvsReport;
import dev.capsule.cli.masvs.PdfReport;
import dev.capsule.cli.masvs.ReportDocument;
import dev.capsule.cli.masvs.TestResults;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code capsule report masvs}: the OWASP MASVS report, control by control, as {@code masvs.html} and {@code masvs.pdf}
 * from one model ({@link MasvsReport}); docs/compliance.md "MASVS report".
 *
 * <p>Security guarantees: the API key is sent only to the server named, as for {@code capsule audit}; everything the
 * server and the test reports say is printed as escaped text; {@code --check} fails (exit 1) when any test a control
 * claims did not run or did not pass, so a report can never claim what no test showed in this build.
 */
@Command(name = "masvs", mixinStandardHelpOptions = true,
        description = {"Write the OWASP MASVS report (masvs.html and masvs.pdf): every control, its status, the tests that",
            "show it with their last result from JUnit XML reports, configuration and audit log proofs, and with --url the",
            "server's live evidence (GET /api/v1/compliance/evidence, audit.read)."})
final class ReportMasvsCommand implements Callable<Integer> {
    /** The evidence answer is a page of facts; more is not a Capsule server. */
    static final int EVIDENCE_BYTES_MAX = 1 << 20;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final String EVIDENCE_PATH = "/api/v1/compliance/evidence";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The Capsule server whose live evidence to include, e.g. https://capsule.example:8443 (default: none).")
    String url;

    @Option(names = "--results", paramLabel = "DIR",
            description = {"A directory of JUnit XML reports (TEST-*.xml); repeatable.",
                "Default: every module's target/surefire-reports under the current directory."})
    List<Path> results = new ArrayList<>();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write masvs.html and masvs.pdf (created if needed).")
    Path out;

    @Option(names = "--check", description = "Exit 1 when a test a control claims did not run or did not pass.")
    boolean check;

    @Option(names = "--unchecked", paramLabel = "REASON",
            description = "Say in the report why it was not checked (tests skipped or filtered); not with --check.")
    String unchecked;

    @Option(names = "--since", paramLabel = "INSTANT",
            description = "Count a report written before this time (ISO 8601, e.g. 2026-12-07T19:00:00Z) as not run.")
    String since;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws CliFailure {
        if (check && unchecked != null) {
            throw CliFailure.usage("--check and --unchecked exclude each other");
        }
        if (unchecked != null && unchecked.isBlank()) {
            throw CliFailure.usage("--unchecked: give the reason");
        }
        Optional<Instant> sinceTime = since();
        List<Path> directories = directories();
        LiveEvidence live = url == null
                ? new LiveEvidence.NotFetched("no --url was given, so no server was asked")
                : fetch();
        TestResults read;
        try {
            read = TestResults.read(directories, sinceTime);
        } catch (IOException e) {
            throw CliFailure.rejected("cannot read the test reports: " + CliIo.describe(e));
        }
        MasvsReport report = new MasvsReport(MasvsCatalogue.load(), read, live, Instant.now(), Optional.ofNullable(unchecked));
        ReportDocument document = report.document();
        Path html = out.resolve("masvs.html");
        Path pdf = out.resolve("masvs.pdf");
        try {
            Files.createDirectories(out);
            write(html, stream -> stream.write(HtmlReport.render(document).getBytes(StandardCharsets.UTF_8)));
            write(pdf, stream -> PdfReport.render(document, stream));
        } catch (IOException e) {
            throw CliFailure.rejected("cannot write the report to " + out + ": " + CliIo.describe(e));
        }
        var outcomes = report.outcomeCounts();
        Map<ControlStatus, Integer> statuses = report.statusCounts();
        var stdout = spec.commandLine().getOut();
        stdout.println(dev.capsule.core.text.SafeText.escape("wrote " + html + " and " + pdf + ": "
                + report.catalogue().controls().size() + " controls ("
                + statuses.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "))
                + "); named test classes: "
                + outcomes.entrySet().stream().map(e -> e.getValue() + " " + e.getKey().label()).collect(Collectors.joining(", "))
                + " (reports read for " + read.size() + " classes from " + directories.size() + " directories)"));
        List<String> problems = report.problems();
        if (check && !problems.isEmpty()) {
            problems.forEach(p -> stdout.println(dev.capsule.core.text.SafeText.escape("not backed: " + p)));
            stdout.flush();
            throw CliFailure.rejected(report.checkSentence());
        }
        stdout.println(dev.capsule.core.text.SafeText.escape("check: " + (check || unchecked != null ? report.checkSentence()
                : "not requested (--check makes a claimed test that did not pass an error)")));
        return ExitCode.OK;
    }

    private Optional<Instant> since() throws CliFailure {
        if (since == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(since));
        } catch (DateTimeParseException e) {
            throw CliFailure.usage("--since: expected an ISO 8601 instant such as 2026-12-07T19:00:00Z");
        }
    }

    private List<Path> directories() throws CliFailure {
        if (!results.isEmpty()) {
            for (Path directory : results) {
                if (!Files.isDirectory(directory)) {
                    throw CliFailure.usage("--results " + directory + ": not a directory");
                }
            }
            return results;
        }
        Path here = Path.of("").toAbsolutePath();
        List<Path> found;
        try {
            found = TestResults.defaultDirectories(here);
        } catch (IOException e) {
            throw CliFailure.usage("cannot look for test reports under " + here + ": " + CliIo.describe(e));
        }
        if (found.isEmpty()) {
            throw CliFailure.usage("no test reports: no */target/surefire-reports under " + here
                    + " (run ./mvnw verify first, or name directories with --results DIR)");
        }
        return found;
    }

    private LiveEvidence fetch() throws CliFailure {
        ServerEndpoint endpoint = server.endpoint(url);
        Optional<String> apiKey = server.apiKey();
        if (apiKey.isEmpty()) {
            throw CliFailure.usage("--url needs an API key with audit.read: --api-key-file FILE or " + ServerOptions.API_KEY_ENV);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.base() + EVIDENCE_PATH))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "capsule-cli")
                .header("Authorization", "Bearer " + apiKey.get())
                .GET().build();
        String where = "cannot fetch the live evidence from " + endpoint.base() + ": ";
        try {
            HttpResponse<InputStream> response = endpoint.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
            byte[] body;
            try (InputStream in = response.body()) {
                body = in.readNBytes(EVIDENCE_BYTES_MAX + 1);
            }
            if (body.length > EVIDENCE_BYTES_MAX) {
                throw CliFailure.rejected(where + "answer larger than " + EVIDENCE_BYTES_MAX + " bytes");
            }
            if (response.statusCode() != 200) {
                throw CliFailure.rejected(where + "HTTP " + response.statusCode() + problemDetail(body));
            }
            JsonObject answer = StrictJson.parseObject(body, "the server's evidence", EVIDENCE_BYTES_MAX);
            return LiveEvidence.flatten(endpoint.base().toString(), answer.toNode());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.rejected(where + "interrupted");
        } catch (IOException e) {
            throw CliFailure.rejected(where + ServerEndpoint.describe(e));
        } catch (JsonFormatException e) {
            throw CliFailure.rejected(where + e.getMessage());
        }
    }

    private static String problemDetail(byte[] body) {
        try {
            JsonObject problem = StrictJson.parseObject(body, "problem", 64 * 1024);
            String text = problem.has("detail") ? problem.requireString("detail")
                    : problem.has("title") ? problem.requireString("title") : null;
            return text == null ? "" : ": " + text;
        } catch (JsonFormatException e) {
            return "";
        }
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Writes through a temporary file and a rename: a failed run never leaves half a report. */
    private static void write(Path target, Writer writer) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".capsule-report-", ".tmp");
        try {
            try (OutputStream stream = Files.newOutputStream(tmp)) {
                writer.write(stream);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
