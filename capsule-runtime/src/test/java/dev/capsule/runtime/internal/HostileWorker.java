package dev.capsule.runtime.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Test-only: a worker that says HELLO (or not) and then breaks the protocol in one chosen way, as a
 * compromised worker would. Runs in the real sandbox, started by a real pool.
 */
public final class HostileWorker {
    private HostileWorker() {}

    public static void main(String[] args) throws Exception {
        OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out));
        DataInputStream in = new DataInputStream(new FileInputStream(FileDescriptor.in));
        String mode = args[0];
        if (mode.equals("bad-hello")) {
            WorkerProtocol.write(out, WorkerProtocol.HELLO, bytes("{\"magic\":\"something-else\",\"version\":1}"));
            Thread.sleep(60_000);
            return;
        }
        WorkerProtocol.write(out, WorkerProtocol.HELLO, bytes("{\"magic\":\"capsule-worker\",\"version\":" + WorkerProtocol.VERSION + ",\"pid\":1}"));
        WorkerProtocol.read(in, WorkerProtocol.HOST_FRAME_BYTES_MAX); // LAUNCH
        String launch = "{\"t\":\"launch\",\"appId\":\"com.example.test\",\"version\":\"1.0.0\",\"verified\":false,\"userId\":\"user-1\"}";
        switch (mode) {
            case "garbage" -> {
                byte[] noise = new byte[64 * 1024];
                new Random(42).nextBytes(noise);
                out.write(noise);
                out.flush();
            }
            case "oversized" -> {
                out.write(new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, WorkerProtocol.EVENT});
                out.write(new byte[1024]);
                out.flush();
            }
            case "just-over-limit" -> {
                int n = WorkerProtocol.WORKER_FRAME_BYTES_MAX + 1;
                out.write(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n, WorkerProtocol.EVENT});
                out.flush();
            }
            case "truncated" -> {
                out.write(new byte[] {0, 0, 0, 100, WorkerProtocol.EVENT, '{'});
                out.flush();
                System.exit(0); // mid-frame
            }
            case "not-json" -> WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes("not json"));
            case "unknown-type" -> WorkerProtocol.write(out, (byte) 99, bytes("{}"));
            case "forged-launch" -> WorkerProtocol.write(out, WorkerProtocol.EVENT,
                    bytes(launch.replace("\"verified\":false", "\"verified\":true")));
            case "event-before-launch" -> WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes("{\"t\":\"log\",\"level\":\"log\",\"text\":\"x\"}"));
            case "bad-exit-code" -> {
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes("{\"t\":\"exit\",\"code\":7,\"reason\":\"x\"}"));
            }
            case "unavailable-api", "audit-flood", "escapes" -> {
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                if (mode.equals("unavailable-api")) {
                    WorkerProtocol.write(out, WorkerProtocol.CALL, bytes("{\"id\":1,\"name\":\"login\",\"sync\":false,\"args\":{}}"));
                    WorkerProtocol.write(out, WorkerProtocol.CALL, bytes("{\"id\":2,\"name\":\"navigateTo\",\"sync\":false,\"args\":{}}"));
                    for (int i = 0; i < 2; i++) {
                        var reply = WorkerProtocol.read(in, WorkerProtocol.HOST_FRAME_BYTES_MAX);
                        String text = new String(reply.body(), StandardCharsets.UTF_8).replace("\\", "\\\\").replace("\"", "\\\"");
                        WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes("{\"t\":\"log\",\"level\":\"log\",\"text\":\"" + text + "\"}"));
                    }
                } else if (mode.equals("audit-flood")) {
                    for (int i = 0; i < 5_000; i++) {
                        WorkerProtocol.write(out, WorkerProtocol.AUDIT, bytes("{\"action\":\"wx.navigateTo\",\"outcome\":\"denied\",\"detail\":\"" + i + "\"}"));
                    }
                } else {
                    WorkerProtocol.write(out, WorkerProtocol.EVENT,
                            bytes("{\"t\":\"log\",\"level\":\"log\",\"text\":\"\\u001b[31mred\\u0007 \\u202e evil\"}"));
                }
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes("{\"t\":\"exit\",\"code\":0,\"reason\":\"done\"}"));
            }
            case "forged-ui", "forged-api-ok", "host-violation-kind", "clean-exit-after-break", "call-flood", "json-bomb",
                    "audit-forgery" -> {
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                switch (mode) {
                    case "forged-ui" -> event(out, "{\"t\":\"ui\",\"kind\":\"showModal\",\"json\":\"{\\\"confirm\\\":true}\"}");
                    case "forged-api-ok" -> event(out, "{\"t\":\"api\",\"name\":\"requestPayment\",\"ok\":true}");
                    case "host-violation-kind" -> event(out, "{\"t\":\"violation\",\"kind\":\"worker\",\"message\":\"m\",\"sessionEnded\":false}");
                    case "clean-exit-after-break" -> {
                        event(out, "{\"t\":\"violation\",\"kind\":\"cpu\",\"message\":\"slow\",\"sessionEnded\":true}");
                        event(out, "{\"t\":\"exit\",\"code\":0,\"reason\":\"all fine\"}");
                    }
                    case "call-flood" -> {
                        for (int i = 0; i < 100_000; i++) {
                            WorkerProtocol.write(out, WorkerProtocol.CALL, bytes("{\"id\":" + i + ",\"name\":\"getStorageInfoSync\",\"sync\":true,\"args\":{}}"));
                        }
                    }
                    case "json-bomb" -> {
                        StringBuilder pad = new StringBuilder("{\"t\":\"log\",\"level\":\"log\",\"text\":\"x\",\"pad\":[");
                        for (int i = 0; i < 2_000_000; i++) {
                            pad.append("{},");
                        }
                        pad.append("{}]}");
                        event(out, pad.toString());
                    }
                    default -> WorkerProtocol.write(out, WorkerProtocol.AUDIT, bytes("{\"action\":\"wx.requestPayment\",\"outcome\":\"paid\",\"detail\":\"x\"}"));
                }
            }
            case "view-handler-attribute", "view-unknown-op" -> {
                // One valid batch (a view under the root), then one no host tree may accept.
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                WorkerProtocol.write(out, WorkerProtocol.VIEW, bytes("{\"kind\":\"shown\",\"page\":1,\"depth\":1}"));
                view(out, 1, "{\"op\":\"createElement\",\"id\":2,\"tag\":\"view\"},{\"op\":\"insert\",\"parent\":1,\"child\":2,\"before\":null}");
                view(out, 2, mode.equals("view-handler-attribute")
                        ? "{\"op\":\"createElement\",\"id\":3,\"tag\":\"text\"},{\"op\":\"setAttribute\",\"id\":2,\"name\":\"onclick\",\"value\":\"alert(1)\"}"
                        : "{\"op\":\"innerHTML\",\"id\":2,\"html\":\"<script>alert(1)</script>\"}");
                Thread.sleep(60_000);
            }
            case "view-stack-too-deep", "view-stack-without-depth" -> {
                // A page shown on a stack deeper than a session may have (the host's back arrow trusts the depth only within it).
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                WorkerProtocol.write(out, WorkerProtocol.VIEW, bytes(mode.equals("view-stack-too-deep")
                        ? "{\"kind\":\"shown\",\"page\":1,\"depth\":11}" : "{\"kind\":\"shown\",\"page\":1}"));
                Thread.sleep(60_000);
            }
            case "forged-data" -> {
                // One valid JSON value whose text has a standalone forged exit line, spaces, and a raw U+2028.
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                String data = "{\n  \"x\" :\n{\"type\":\"exit\",\"code\":0,\"reason\":\"forged\"}\n, \"s\": \"a\u2028b\u0085c\" ,\r\n\"n\": 1.50 }";
                event(out, "{\"t\":\"data\",\"route\":\"pages/index/index\",\"json\":" + jsonString(data) + "}");
                event(out, "{\"t\":\"exit\",\"code\":0,\"reason\":\"done\"}");
            }
            case "event-overrun" -> {
                // An event that begins and never ends, as when one engine operation cannot be stopped.
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                WorkerProtocol.write(out, WorkerProtocol.EVENT_BEGAN, bytes("{}"));
            }
            case "event-ended-twice" -> {
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                WorkerProtocol.write(out, WorkerProtocol.EVENT_BEGAN, bytes("{}"));
                WorkerProtocol.write(out, WorkerProtocol.EVENT_ENDED, bytes("{}"));
                WorkerProtocol.write(out, WorkerProtocol.EVENT_ENDED, bytes("{}"));
            }
            case "output-flood" -> {
                // A worker that ignores every console limit of its own.
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                String line = "{\"t\":\"log\",\"level\":\"log\",\"text\":\"" + "x".repeat(1000) + "\"}";
                for (int i = 0; i < 100_000; i++) {
                    event(out, line);
                }
            }
            case "thread-bomb" -> {
                WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(launch));
                while (true) {
                    Thread.ofPlatform().start(() -> {
                        try {
                            Thread.sleep(600_000);
                        } catch (InterruptedException e) {
                            return;
                        }
                    });
                }
            }
            case "silent" -> { }
            default -> throw new IOException("unknown mode " + mode);
        }
        Thread.sleep(60_000);
    }

    private static void event(OutputStream out, String json) throws IOException {
        WorkerProtocol.write(out, WorkerProtocol.EVENT, bytes(json));
    }

    /** {@code s} as a JSON string literal, with the characters above ASCII written as they are. */
    private static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    private static void view(OutputStream out, int version, String ops) throws IOException {
        WorkerProtocol.write(out, WorkerProtocol.VIEW, bytes("{\"kind\":\"batch\",\"page\":1,\"route\":\"pages/index/index\",\"batch\":{\"version\":"
                + version + ",\"ops\":[" + ops + "]}}"));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
