package dev.capsule.cli;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Upload a developer-signed package to a Capsule server for review (POST /api/v1/packages).",
            "The API key (packages.submit, bound to your organisation) comes from --api-key-file or the "
                    + ServerOptions.API_KEY_ENV + " environment variable, never from the command line.",
            "Prints one line: the version id and its state. Exit 0 when stored for review; 1 when the server",
            "refused it (the line names the rule, as docs/registry.md lists them) or could not be reached; 2 for a",
            "wrong command line, an unreadable file or a missing API key."})
final class SubmitCommand implements Callable<Integer> {
    static final String PACKAGES_API = "/api/v1/packages";
    /** An upload with its automated review can take a while on a busy server. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(120);
    /** The server's answer (a version or a problem) is small; more is not a Capsule server. */
    static final int RESPONSE_BYTES_MAX = 64 * 1024;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.capsule", description = "The signed package.")
    Path file;

    @Option(names = "--url", required = true, paramLabel = "URL", description = "The Capsule server, e.g. https://capsule.example:8443.")
    String url;

    @Mixin
    ServerOptions server;

    @Override
    public Integer call() throws CliFailure {
        // The same limits the server applies: a package the server would refuse for its size is refused here.
        byte[] archive = CliIo.readArchive(file);
        String key = server.apiKey().orElseThrow(() -> CliFailure.usage("submit needs an API key with packages.submit: set "
                + ServerOptions.API_KEY_ENV + " or give --api-key-file FILE"));
        ServerEndpoint endpoint = server.endpoint(url);
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint.base() + PACKAGES_API))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/octet-stream")
                .header("Accept", "application/json, application/problem+json")
                .header("User-Agent", "capsule-cli")
                .header("Authorization", "Bearer " + key)
                .POST(HttpRequest.BodyPublishers.ofByteArray(archive))
                .build();
        int status;
        byte[] body;
        try (var client = endpoint.client()) {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            status = response.statusCode();
            try (InputStream in = response.body()) {
                body = in.readNBytes(RESPONSE_BYTES_MAX + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.rejected("interrupted");
        } catch (IOException e) {
            throw CliFailure.rejected("cannot submit to " + endpoint.base() + ": " + ServerEndpoint.describe(e));
        }
        if (body.length > RESPONSE_BYTES_MAX) {
            throw CliFailure.rejected("the server's answer is larger than " + RESPONSE_BYTES_MAX + " bytes: not a Capsule server?");
        }
        JsonObject answer;
        try {
            answer = StrictJson.parseObject(body, "server answer", RESPONSE_BYTES_MAX);
        } catch (JsonFormatException e) {
            throw CliFailure.rejected("HTTP " + status + " from the server, without a readable answer");
        }
        if (status != 201) {
            throw CliFailure.rejected(refusal(status, answer));
        }
        try {
            spec.commandLine().getOut().println("submitted " + SafeText.escape(answer.requireString("app")) + " "
                    + SafeText.escape(answer.requireString("version")) + " as " + SafeText.escape(answer.requireString("id"))
                    + ": " + SafeText.escape(answer.requireString("state")) + ", " + answer.requireLong("criticalFindings", 0,
                    Integer.MAX_VALUE) + " critical finding(s)");
        } catch (JsonFormatException e) {
            throw CliFailure.rejected("the server stored the package but its answer is not readable: " + e.getMessage());
        }
        spec.commandLine().getOut().flush();
        return ExitCode.OK;
    }

    /** "refused (version-not-increasing): com.example.todo 1.0.0 is not higher than ...". */
    private static String refusal(int status, JsonObject problem) {
        String type = optional(problem, "type");
        String slug = type == null ? "HTTP " + status : type.substring(type.lastIndexOf('/') + 1);
        String detail = optional(problem, "detail");
        if (detail == null) {
            detail = optional(problem, "title");
        }
        return "refused (" + slug + "): " + (detail == null ? "HTTP " + status : detail);
    }

    private static String optional(JsonObject object, String field) {
        try {
            return object.has(field) ? object.requireString(field) : null;
        } catch (JsonFormatException e) {
            return null;
        }
    }
}
