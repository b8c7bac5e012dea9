package dev.capsule.testing.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An example program run as an outside process, the way a newcomer runs it (the merchant clients in Node and Java, a
 * README's shell line), trusting the test server's certificate through {@code CAPSULE_CA_CERT}: its exit code and its
 * output (standard error merged in), stripped.
 */
public record ExampleRun(int exit, String output) {
    /** Longest an example may run. */
    public static final long SECONDS_MAX = 120;

    /** Runs {@code command} in {@code directory} (null: this one). */
    public static ExampleRun run(Path directory, List<String> command, Path caCertificate) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        builder.environment().put("CAPSULE_CA_CERT", caCertificate.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(SECONDS_MAX, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the example did not finish within " + SECONDS_MAX + " s: " + output);
        }
        return new ExampleRun(process.exitValue(), output.strip());
    }
}
