package dev.capsule.runtime.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.internal.WorkerProtocol.Frame;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.JsonNode;

/**
 * One started worker process, from HELLO to its end: the protocol streams, a bounded tail of its
 * stderr for diagnostics, and why it ended.
 */
final class WorkerProcess {
    /** Worker stderr kept for diagnostics; the rest is read and dropped so the worker never blocks on it. */
    static final int STDERR_TAIL_BYTES_MAX = 4 * 1024;
    /** The JVM's exit status under -XX:+ExitOnOutOfMemoryError. */
    static final int EXIT_OUT_OF_MEMORY = 3;
    /** How long to wait for a dying worker's exit status. */
    static final long EXIT_WAIT_MILLIS = 500;

    private final Process process;
    private final InputStream in;
    private final OutputStream out;
    private final long startedNanos = System.nanoTime();
    private final StringBuilder stderrTail = new StringBuilder();
    private volatile long readySinceNanos;

    private WorkerProcess(Process process) {
        this.process = process;
        this.in = new BufferedInputStream(process.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(process.getOutputStream(), 64 * 1024);
        Thread.ofVirtual().name("capsule-worker-stderr").start(this::drainStderr);
    }

    /** Starts {@code command} and waits for its HELLO; a worker that says anything else is killed. */
    static WorkerProcess start(List<String> command, long startMillisMax) throws IOException {
        Process p = new ProcessBuilder(command).start();
        WorkerProcess w = new WorkerProcess(p);
        CompletableFuture<Frame> hello = CompletableFuture.supplyAsync(() -> {
            try {
                return WorkerProtocol.read(w.in, 4096);
            } catch (IOException | ProtocolViolation e) {
                return null;
            }
        }, Thread.ofVirtual().factory()::newThread);
        Frame frame;
        try {
            frame = hello.get(startMillisMax, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            w.kill();
            throw new IOException("interrupted while starting a worker");
        } catch (ExecutionException | TimeoutException e) {
            frame = null;
        }
        try {
            if (frame == null || frame.type() != WorkerProtocol.HELLO) {
                throw new ProtocolViolation("no HELLO");
            }
            JsonNode body = WorkerProtocol.object(frame);
            if (!WorkerProtocol.MAGIC.equals(body.path("magic").asString("")) || body.path("version").asInt(-1) != WorkerProtocol.VERSION) {
                throw new ProtocolViolation("HELLO of another protocol or version");
            }
        } catch (ProtocolViolation e) {
            w.kill();
            throw new IOException("the worker did not start (" + e.getMessage() + ")" + w.stderrSuffix());
        }
        w.readySinceNanos = System.nanoTime();
        return w;
    }

    InputStream in() {
        return in;
    }

    synchronized void send(byte type, byte[] body) throws IOException {
        WorkerProtocol.write(out, type, body);
    }

    void send(byte type, JsonNode body) throws IOException {
        send(type, Json.mapper().writeValueAsBytes(body));
    }

    Process process() {
        return process;
    }

    boolean alive() {
        return process.isAlive();
    }

    long readySinceNanos() {
        return readySinceNanos;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** Kills the worker and everything it started (under bubblewrap, the JVM is bubblewrap's child). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Why the worker ended, once it has: for the violation event the session gets. */
    String exitDescription() {
        Integer code = exitCode();
        if (code == null) {
            return "the worker process stopped answering";
        }
        if (code == EXIT_OUT_OF_MEMORY) {
            return "the worker process ran out of memory";
        }
        if (code > 128) {
            return "the worker process was killed (signal " + (code - 128) + ")";
        }
        return "the worker process exited with status " + code;
    }

    /** The exit status, waiting briefly; null if it is still running. */
    Integer exitCode() {
        try {
            if (process.waitFor(EXIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    boolean outOfMemory() {
        Integer code = exitCode();
        return code != null && code == EXIT_OUT_OF_MEMORY;
    }

    private void drainStderr() {
        byte[] buf = new byte[4096];
        try (InputStream err = process.getErrorStream()) {
            int n;
            while ((n = err.read(buf)) > 0) {
                synchronized (stderrTail) {
                    stderrTail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                    if (stderrTail.length() > STDERR_TAIL_BYTES_MAX) {
                        stderrTail.delete(0, stderrTail.length() - STDERR_TAIL_BYTES_MAX);
                    }
                }
            }
        } catch (IOException e) {
            // The worker is gone.
        }
    }

    /** The last lines the worker wrote to stderr, escaped, for a start failure's message. */
    String stderrSuffix() {
        exitCode();
        String tail;
        synchronized (stderrTail) {
            tail = stderrTail.toString().strip();
        }
        if (tail.isEmpty()) {
            return "";
        }
        int cut = Math.max(0, tail.length() - 600);
        return ": " + SafeText.escape(tail.substring(cut));
    }
}
