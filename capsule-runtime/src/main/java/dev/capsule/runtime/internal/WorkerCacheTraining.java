package dev.capsule.runtime.internal;

import dev.capsule.runtime.WorkerLimits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The build's training run for the worker JVM's AOT cache (JEP 483/514/515): starts one worker with
 * the workers' own JDK, class path and flags ({@link WorkerSandbox#trainingCommand}), lets it create
 * and warm up its engine (the built-in warm-up session, {@link WorkerWarmUp}) and say HELLO, then
 * closes its input, so it exits and the JVM writes the cache. Run by capsule-cli's build on the shaded
 * jar: {@code java -cp capsule.jar dev.capsule.runtime.internal.WorkerCacheTraining OUTPUT.aot}.
 *
 * <p>Security guarantees: the training runs only Capsule's own warm-up code, at build time, as the
 * builder; no mini-program runs in it. What it writes is then a read-only input of every worker
 * ({@link WorkerSandbox}). A failed training fails the build with the worker's last stderr lines.
 */
public final class WorkerCacheTraining {
    /** Longest a training run may take (engine start, warm-up, cache assembly) on a slow, shared machine. */
    static final long TRAINING_SECONDS_MAX = 300;
    /** The worker's stderr kept for the failure message. */
    static final int STDERR_TAIL_CHARS_MAX = 4 * 1024;

    private WorkerCacheTraining() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: java -cp capsule.jar " + WorkerCacheTraining.class.getName() + " OUTPUT.aot");
            System.exit(2);
        }
        try {
            train(Path.of(args[0]).toAbsolutePath(), WorkerLimits.DEFAULTS);
        } catch (IOException e) {
            System.err.println("capsule: the worker start-up cache was not built: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            System.err.println("capsule: the worker start-up cache training was interrupted");
            System.exit(1);
        }
    }

    /** Writes the cache to {@code output} (replacing an older one) or fails with the worker's own words. */
    static void train(Path output, WorkerLimits limits) throws IOException, InterruptedException {
        Files.deleteIfExists(output);
        Path log = output.resolveSibling(output.getFileName() + ".log");
        List<String> command = WorkerSandbox.forTraining().trainingCommand(limits, output, WorkerMain.class.getName());
        Process worker = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile()).start();
        worker.getOutputStream().close(); // the end of input after HELLO: the worker exits as if retired unused
        if (!worker.waitFor(TRAINING_SECONDS_MAX, TimeUnit.SECONDS)) {
            worker.destroyForcibly();
            throw new IOException("the training worker did not finish within " + TRAINING_SECONDS_MAX + " s" + tail(log));
        }
        if (worker.exitValue() != 0 || !Files.isRegularFile(output) || Files.size(output) == 0) {
            throw new IOException("the training worker exited with status " + worker.exitValue() + tail(log));
        }
        Files.deleteIfExists(log);
    }

    /** The end of the worker's stderr, without the JVM's echo of its whole command line. */
    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.UTF_8) : "";
        text = String.join("\n", text.lines().filter(l -> !l.startsWith("Picked up JAVA_TOOL_OPTIONS")).toList());
        return text.isBlank() ? "" : "; its stderr ends: " + text.substring(Math.max(0, text.length() - STDERR_TAIL_CHARS_MAX)).strip();
    }
}
