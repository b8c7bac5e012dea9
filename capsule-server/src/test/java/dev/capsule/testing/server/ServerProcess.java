package dev.capsule.testing.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server as a separate JVM (started from the test classpath through {@code mainClass}), its
 * output in a file: a test can kill it for real (SIGKILL) and start it again on the same data directory.
 */
public final class ServerProcess implements AutoCloseable {
    /** How long a start may take on a loaded 2-core machine. */
    public static final Duration START_MAX = Duration.ofSeconds(120);
    private static final Pattern READY = Pattern.compile("Capsule server is ready at https://localhost:(\\d+)/");

    private final Process process;
    private final Path log;

    private ServerProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code mainClass} with {@code args} and {@code systemProperties} ("-Dk=v"); does not wait. */
    public static ServerProcess launch(Class<?> mainClass, Path log, List<String> systemProperties, String... args) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--sun-misc-unsafe-memory-access=allow");
        command.add("-Xmx512m");
        command.addAll(systemProperties);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            return new ServerProcess(process, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the ready line and returns the HTTPS port it names. */
    public int awaitReady() throws InterruptedException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher ready = READY.matcher(output());
            if (ready.find()) {
                return Integer.parseInt(ready.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the server process exited with " + process.exitValue() + ":\n" + output());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server process was not ready within " + START_MAX + ":\n" + output());
    }

    /** Waits until the output has a line containing {@code marker}. */
    public void awaitOutput(String marker) throws InterruptedException {
        long deadline = System.nanoTime() + START_MAX.toNanos();
        while (!output().contains(marker)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the process exited with " + process.exitValue() + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no '" + marker + "' within " + START_MAX + ":\n" + output());
            }
            Thread.sleep(100);
        }
    }

    /** Waits for the process to end by itself and returns its exit code. */
    public int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_MAX.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server process did not exit within " + START_MAX + ":\n" + output());
        }
        return process.exitValue();
    }

    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no graceful stop, nothing flushed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM (a graceful stop), then SIGKILL if it does not end in time. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
