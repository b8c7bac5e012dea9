package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.internal.WorkerProtocol.Frame;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A worker process: one JVM, sandboxed by the OS, that runs one mini-program session and exits.
 * It starts its engine and warms it up before saying HELLO, so a pooled worker launches fast. Every
 * policy call goes to the host; the worker holds no service, key, storage or network of its own.
 */
public final class WorkerMain {
    static final int EXIT_PROTOCOL = 2;
    static final int EXIT_HOST_GONE = 4;
    /** The argument that starts a worker without warm-ups (WorkerLimits.warmUp off). */
    static final String COLD = "cold";

    private WorkerMain() {}

    public static void main(String[] args) {
        // The protocol owns the real stdout: nothing else may write to it.
        OutputStream protocolOut = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 64 * 1024);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        InputStream protocolIn = new BufferedInputStream(new FileInputStream(FileDescriptor.in), 64 * 1024);
        try {
            run(protocolIn, protocolOut, cold(args));
        } catch (Throwable e) {
            // Anything that stops the worker's reader ends the worker: a worker that no longer reads
            // its host must not linger (the host would see it only as a stalled pipe).
            System.err.println("capsule worker: " + e);
            Runtime.getRuntime().halt(EXIT_PROTOCOL);
        }
        Runtime.getRuntime().halt(0);
    }

    /** The host's one optional argument: {@link #COLD} skips the warm-ups (WorkerLimits.warmUp off). */
    private static boolean cold(String[] args) {
        if (args.length == 0) {
            return false;
        }
        if (args.length == 1 && args[0].equals(COLD)) {
            return true;
        }
        throw new IllegalArgumentException("usage: WorkerMain [" + COLD + "]");
    }

    private static void run(InputStream in, OutputStream out, boolean cold) throws IOException, ProtocolViolation {
        Engine engine = Engine.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED)
                .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                .option("engine.WarnInterpreterOnly", "false").build();
        Watchdog watchdog = new Watchdog();
        if (!cold) {
            EngineWarmUp.run(engine);
            WorkerWarmUp.run(engine, watchdog);
        }
        WorkerProtocol.write(out, WorkerProtocol.HELLO, Json.object().put("magic", WorkerProtocol.MAGIC)
                .put("version", WorkerProtocol.VERSION).put("pid", ProcessHandle.current().pid()));

        Frame launch = WorkerProtocol.read(in, WorkerProtocol.HOST_FRAME_BYTES_MAX);
        if (launch == null) {
            return; // retired before use
        }
        if (launch.type() != WorkerProtocol.LAUNCH || launch.body().length < 4) {
            throw new ProtocolViolation("expected LAUNCH");
        }
        int headerLength = ByteBuffer.wrap(launch.body(), 0, 4).getInt();
        if (headerLength < 2 || headerLength > launch.body().length - 4) {
            throw new ProtocolViolation("bad LAUNCH header length");
        }
        ObjectNode header = WorkerProtocol.object(launch.body(), 4, headerLength);
        byte[] archive = java.util.Arrays.copyOfRange(launch.body(), 4 + headerLength, launch.body().length);
        CapsulePackage pkg;
        try {
            pkg = PackageReader.read(archive);
        } catch (PackageException e) {
            throw new ProtocolViolation("the package does not read: " + e.getMessage());
        }
        RuntimeLimits limits = WorkerMessages.limits(header);
        WorkerChannel channel = new WorkerChannel(out, WorkerMessages.capabilities(header));
        Session session = new Session(pkg, WorkerProtocol.requireBoolean(header, "verified"),
                WorkerProtocol.requireText(header, "userId", WorkerMessages.NAME_CHARS_MAX), limits, channel::bind,
                channel::audit, channel::event, s -> channel, engine, watchdog, () -> { });
        session.reportEventBoundaries(channel); // the host's clock of each event backs up the session's own
        session.start(WorkerMessages.launchOptions(header));
        serve(in, channel, session);
    }

    /** Reads the host's frames until CLOSE or the end of the stream, then ends the session (which ends the process). */
    private static void serve(InputStream in, WorkerChannel channel, Session session) throws IOException, ProtocolViolation {
        while (true) {
            Frame frame = WorkerProtocol.read(in, WorkerProtocol.HOST_FRAME_BYTES_MAX);
            if (frame == null || frame.type() == WorkerProtocol.CLOSE) {
                session.close();
                return;
            }
            JsonNode body = WorkerProtocol.object(frame);
            switch (frame.type()) {
                case WorkerProtocol.DISPATCH -> session.dispatch(body.path("handler").asString(""),
                        body.path("route").isString() ? body.path("route").asString() : null, body.path("event").asString("{}"));
                case WorkerProtocol.VIEW_EVENT -> session.dispatchView(ViewMessages.event(body));
                case WorkerProtocol.NAVIGATE -> navigate(session, body);
                case WorkerProtocol.NOTIFY -> session.notifyChannel(body.path("channel").asString(""), body.path("payload").asString("{}"));
                case WorkerProtocol.REPLY -> channel.reply(body);
                case WorkerProtocol.COMPLETE -> channel.complete(body);
                case WorkerProtocol.TASK_EVENT -> session.taskEvent(WorkerProtocol.requireLong(body, "task"),
                        WorkerProtocol.requireText(body, "event", WorkerMessages.NAME_CHARS_MAX),
                        WorkerProtocol.requireText(body, "payload", WorkerProtocol.HOST_FRAME_BYTES_MAX));
                case WorkerProtocol.AWAIT_IDLE -> {
                    long token = body.path("token").asLong();
                    long millis = Math.max(0, Math.min(body.path("millis").asLong(), Duration.ofMinutes(10).toMillis()));
                    Thread.ofVirtual().start(() -> {
                        boolean idle;
                        try {
                            idle = session.awaitIdle(Duration.ofMillis(millis));
                        } catch (InterruptedException e) {
                            idle = false;
                        }
                        channel.send(WorkerProtocol.IDLE, Json.object().put("token", token).put("idle", idle));
                    });
                }
                case WorkerProtocol.ROUTE_QUERY -> channel.send(WorkerProtocol.ROUTE,
                        Json.object().put("token", body.path("token").asLong()).put("route", session.currentRoute()));
                default -> throw new ProtocolViolation("unknown frame type " + frame.type());
            }
        }
    }

    /** A NAVIGATE frame: the host checked the tab index; one it did not send is a protocol violation. */
    private static void navigate(Session session, JsonNode body) throws ProtocolViolation {
        switch (WorkerProtocol.requireText(body, "kind", WorkerMessages.NAME_CHARS_MAX)) {
            case "back" -> session.navigateBack();
            case "tab" -> {
                try {
                    session.switchTab(Math.toIntExact(WorkerProtocol.requireLong(body, "index")));
                } catch (IllegalArgumentException | ArithmeticException e) {
                    throw new ProtocolViolation("navigation refused: " + e.getMessage());
                }
            }
            default -> throw new ProtocolViolation("unknown navigation");
        }
    }
}
