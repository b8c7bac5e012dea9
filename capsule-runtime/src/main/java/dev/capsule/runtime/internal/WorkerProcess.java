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
    static final long EXIT_WAIT_MILLIS = 200;
    /**
     * Bytes queued for a worker that has not read them yet. A worker that stops reading fills its
     * pipe, then this queue; past it the worker is ended (the host never blocks on a worker).
     */
    static final long OUTGOING_BYTES_MAX = 64L * 1024 * 1024;
    /** A write to a worker's pipe that has not finished after this long means the worker stopped reading. */
    static final long WRITE_STALL_MILLIS_MAX = 10_000;

    private final Process process;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder stderrTail = new StringBuilder();
    private volatile long readySinceNanos;
    private final java.util.concurrent.LinkedBlockingQueue<byte[]> outgoing = new java.util.concurrent.LinkedBlockingQueue<>();
    private final java.util.concurrent.atomic.AtomicLong outgoingBytes = new java.util.concurrent.atomic.AtomicLong();
    private volatile long writeStartedNanos;
    private volatile boolean overflowed;
    private volatile boolean stalled;
    private final java.util.concurrent.locks.ReentrantLock writeLock = new java.util.concurrent.locks.ReentrantLock();

    private WorkerProcess(Process process) {
        this.process = process;
        this.in = new BufferedInputStream(process.getInputStream(), 64 * 1024);
        this.out = new BufferedOutputStream(process.getOutputStream(), 64 * 1024);
        Thread.ofVirtual().name("capsule-worker-stderr").start(this::drainStderr);
        Thread writer = Thread.ofVirtual().name("capsule-worker-writer").start(this::writeLoop);
        process.onExit().thenRun(writer::interrupt);
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
        }, r -> Thread.ofVirtual().start(r));
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
            w.exitCode(); // lets its stderr drain before the message quotes it
            throw new IOException("the worker did not start (" + e.getMessage() + ")" + w.stderrSuffix());
        }
        w.readySinceNanos = System.nanoTime();
        return w;
    }

    InputStream in() {
        return in;
    }

    /**
     * Queues one frame for the worker and returns at once: the host never waits on a worker's pipe.
     * Fails (and the caller ends the worker) when the worker has left too much unread.
     */
    void send(byte type, byte[] body) throws IOException {
        enqueue(frame(type, body));
    }

    /**
     * Writes a reply at once when nothing else is being written or waiting (one thread hand-off less
     * on the hot path), else queues it. The write may wait for the worker to read; a worker that
     * stops reading is killed by the stall check within {@link #WRITE_STALL_MILLIS_MAX} plus a
     * second, which ends the wait. Only the session's own reader and call threads write this way.
     */
    void reply(JsonNode body) throws IOException { // throws only when the queue overflows
        byte[] frame = frame(WorkerProtocol.REPLY, WorkerProtocol.MAPPER.writeValueAsBytes(body));
        if (outgoing.isEmpty() && writeLock.tryLock()) {
            try {
                if (outgoing.isEmpty()) {
                    writeStartedNanos = System.nanoTime();
                    try {
                        out.write(frame);
                        out.flush();
                    } catch (IOException e) {
                        // The worker is gone: its reader sees the closed pipe and reports why it ended.
                    } finally {
                        writeStartedNanos = 0;
                    }
                    return;
                }
            } finally {
                writeLock.unlock();
            }
        }
        enqueue(frame);
    }

    private static byte[] frame(byte type, byte[] body) {
        byte[] frame = new byte[body.length + 5];
        int length = body.length + 1;
        frame[0] = (byte) (length >>> 24);
        frame[1] = (byte) (length >>> 16);
        frame[2] = (byte) (length >>> 8);
        frame[3] = (byte) length;
        frame[4] = type;
        System.arraycopy(body, 0, frame, 5, body.length);
        return frame;
    }

    private void enqueue(byte[] frame) throws IOException {
        if (overflowed || outgoingBytes.addAndGet(frame.length) > OUTGOING_BYTES_MAX) {
            overflowed = true;
            throw new IOException("the worker left more than " + OUTGOING_BYTES_MAX + " bytes unread");
        }
        outgoing.add(frame);
    }

    void send(byte type, JsonNode body) throws IOException {
        send(type, WorkerProtocol.MAPPER.writeValueAsBytes(body));
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] frame = outgoing.take();
                writeLock.lock();
                try {
                    writeStartedNanos = System.nanoTime();
                    out.write(frame);
                    if (outgoing.isEmpty()) {
                        out.flush();
                    }
                    writeStartedNanos = 0;
                } finally {
                    writeLock.unlock();
                }
                outgoingBytes.addAndGet(-frame.length);
            }
        } catch (IOException | InterruptedException e) {
            // The worker is gone (or being killed): its session ends through the reader.
        }
    }

    /** True when a write has been waiting on the worker for longer than {@link #WRITE_STALL_MILLIS_MAX}. */
    boolean writeStalled() {
        long started = writeStartedNanos;
        return started != 0 && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) > WRITE_STALL_MILLIS_MAX;
    }

    /** Kills a worker that stopped reading; its session reports a protocol violation, not a crash. */
    void killStalled() {
        stalled = true;
        kill();
    }

    boolean stalled() {
        return stalled;
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

    /** Kills the worker and everything it started (under bubblewrap, the JVM is bubblewrap's child). */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** How a worker ended: its exit status, or null if it had not exited after a short wait. */
    record Ending(Integer code) {
        boolean outOfMemory() {
            return code != null && code == EXIT_OUT_OF_MEMORY;
        }

        /** For the violation event the session gets. */
        String description() {
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
    }

    /** Waits (briefly, once) for the worker's exit status. */
    Ending ending() {
        return new Ending(exitCode());
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

    /** The last lines the worker wrote to stderr, escaped, for a message to the operator. */
    String stderrSuffix() {
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
