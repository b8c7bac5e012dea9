package dev.capsule.runtime.internal;

import dev.capsule.runtime.net.FailureKind;
import dev.capsule.runtime.net.GuardedSocket;
import dev.capsule.runtime.net.GuardedSocketClient;
import dev.capsule.runtime.net.SocketListener;
import dev.capsule.runtime.net.SocketRequestSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * wx.connectSocket and its SocketTask ({@code send}, {@code close}; {@code onOpen}, {@code onMessage},
 * {@code onError}, {@code onClose}). The connect call succeeds once the connection is open (so a
 * refusal after DNS, a private address, is a {@code fail} result like every other denial); the
 * framework fires {@code onOpen} (or {@code onError}) with that result, in the same event, so no
 * message can overtake it; messages, later errors and the close arrive as task events
 * ({@link ApiContext#taskEvent}). The legacy global family ({@code wx.onSocketOpen},
 * {@code wx.sendSocketMessage}, …) is absent by decision: one mechanism, the task.
 *
 * <p>Security guarantees: the guard is {@link GuardedSocketClient}'s (wss, allowlist, checked and
 * pinned addresses, TLS); per session at most {@link SessionSockets#OPEN_MAX} sockets and
 * {@link SessionSockets#SENT_PER_MINUTE_MAX} / {@link SessionSockets#RECEIVED_PER_MINUTE_MAX}
 * messages; a message of either direction at most {@link GuardedSocketClient#MESSAGE_BYTES_MAX}. Every
 * refusal is a denial (audited); the sockets close when the session ends.
 */
final class SocketApis {
    /** The task's methods and events, as the framework builds the SocketTask. */
    static final WxTask TASK = new WxTask("SocketTask", methods(), List.of("open", "message", "error", "close"), "data");
    /** Close codes a mini-program may send (RFC 6455: 1000 normal, 3000-4999 for applications). */
    static final int CLOSE_CODE_APP_MIN = 3000;
    static final int CLOSE_CODE_APP_MAX = 4999;

    private SocketApis() {}

    private static java.util.SequencedMap<String, HostApi> methods() {
        java.util.SequencedMap<String, HostApi> m = new java.util.LinkedHashMap<>();
        m.put("send", SocketApis::send);
        m.put("close", SocketApis::close);
        return m;
    }

    static ApiOutcome connect(ApiContext s, JsonNode args) {
        long task = args.path("task").asLong(-1);
        JsonNode options = args.path("options");
        String url = Json.text(options, "url");
        if (url == null || url.isEmpty()) {
            return ApiOutcome.fail("parameter error: url must be a string");
        }
        List<String> protocols = new ArrayList<>();
        JsonNode p = options.get("protocols");
        if (p != null && !p.isNull()) {
            if (!(p instanceof ArrayNode a) || a.size() > GuardedSocketClient.PROTOCOLS_MAX) {
                return ApiOutcome.fail("parameter error: protocols must be an array of at most " + GuardedSocketClient.PROTOCOLS_MAX + " strings");
            }
            for (JsonNode e : a) {
                if (!e.isString()) {
                    return ApiOutcome.fail("parameter error: protocols must be strings");
                }
                protocols.add(e.stringValue());
            }
        }
        String refused = s.sockets().tryReserve(task);
        if (refused != null) {
            return ApiOutcome.denied(refused);
        }
        CompletableFuture<ApiOutcome> result = new CompletableFuture<>();
        s.http().sockets().connect(new SocketRequestSpec(url, NetworkApis.headers(options), protocols), s.manifest().network().connectSocket(),
                new Events(s, task, result, new java.util.concurrent.atomic.AtomicBoolean()));
        return new ApiOutcome.Later(result);
    }

    static ApiOutcome send(ApiContext s, JsonNode args) {
        long task = args.path("task").asLong(-1);
        GuardedSocket socket = s.sockets().open(task);
        if (socket == null) {
            return ApiOutcome.fail("the socket is not open");
        }
        JsonNode options = args.path("options");
        JsonNode data = options.get("data");
        boolean binary = options.path("binary").asBoolean(false);
        byte[] bytes;
        if (binary && data instanceof ArrayNode a) {
            bytes = new byte[a.size()];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) a.get(i).asInt();
            }
        } else if (data != null && data.isString()) {
            bytes = data.stringValue().getBytes(StandardCharsets.UTF_8);
        } else {
            return ApiOutcome.fail("parameter error: data must be a string or an ArrayBuffer");
        }
        if (bytes.length > GuardedSocketClient.MESSAGE_BYTES_MAX) {
            return ApiOutcome.denied("message of " + bytes.length + " bytes is larger than " + GuardedSocketClient.MESSAGE_BYTES_MAX + " bytes");
        }
        String rate = s.sockets().trySend();
        if (rate != null) {
            return ApiOutcome.denied(rate);
        }
        CompletableFuture<Void> sent = binary ? socket.sendBinary(bytes) : socket.sendText(data.stringValue());
        return new ApiOutcome.Later(sent.handle((ok, error) -> error == null ? new ApiOutcome.Ok(Json.object())
                : ApiOutcome.fail("the connection to " + socket.host() + " failed")));
    }

    static ApiOutcome close(ApiContext s, JsonNode args) {
        long task = args.path("task").asLong(-1);
        GuardedSocket socket = s.sockets().open(task);
        if (socket == null) {
            return ApiOutcome.fail("the socket is not open");
        }
        JsonNode options = args.path("options");
        int code = options.path("code").isIntegralNumber() ? options.path("code").asInt() : 1000;
        if (code != 1000 && (code < CLOSE_CODE_APP_MIN || code > CLOSE_CODE_APP_MAX)) {
            return ApiOutcome.fail("parameter error: code must be 1000 or " + CLOSE_CODE_APP_MIN + "-" + CLOSE_CODE_APP_MAX);
        }
        String reason = Json.text(options, "reason") == null ? "" : Json.text(options, "reason");
        if (reason.getBytes(StandardCharsets.UTF_8).length > GuardedSocketClient.CLOSE_REASON_BYTES_MAX) {
            return ApiOutcome.fail("parameter error: reason is longer than " + GuardedSocketClient.CLOSE_REASON_BYTES_MAX + " bytes");
        }
        socket.close(code, reason);
        return new ApiOutcome.Ok(Json.object());
    }

    /** One connection's events, on the client's threads, turned into the call's result and the task's events. */
    /** @param overRate set once the socket went over the received-message rate: it is closing, later messages are dropped unreported */
    private record Events(ApiContext s, long task, CompletableFuture<ApiOutcome> result, java.util.concurrent.atomic.AtomicBoolean overRate)
            implements SocketListener {
        @Override
        public void opened(GuardedSocket socket) {
            if (!s.sockets().opened(task, socket)) {
                socket.abort();
                result.complete(ApiOutcome.fail("the session has ended"));
                return;
            }
            s.audit("wx.connectSocket", "opened", socket.host());
            ObjectNode open = Json.object();
            open.putObject("header");
            result.complete(new ApiOutcome.Ok(open)); // the framework fires onOpen with it, right after success
        }

        @Override
        public void refused(FailureKind kind, String message) {
            s.sockets().released(task);
            boolean denied = NetworkApis.POLICY_DENIALS.contains(kind);
            if (!denied) {
                s.audit("wx.connectSocket", "failed", message); // denials are audited once, when reported
            }
            result.complete(new ApiOutcome.Fail(message, denied)); // the framework fires onError with it, right after fail
        }

        @Override
        public void text(String message) {
            if (admitted()) {
                s.taskEvent(task, "message", Json.object().put("data", message));
            }
        }

        @Override
        public void binary(byte[] message) {
            if (admitted()) {
                ObjectNode event = Json.object().put("binary", true);
                ArrayNode data = event.putArray("data");
                for (byte b : message) {
                    data.add(b & 0xff);
                }
                s.taskEvent(task, "message", event);
            }
        }

        /** A message over the session's rate closes the socket (policy violation, 1008): a denial, audited. */
        private boolean admitted() {
            if (overRate.get()) {
                return false;
            }
            String refused = s.sockets().tryReceive();
            if (refused == null) {
                return true;
            }
            GuardedSocket socket = s.sockets().open(task);
            if (socket != null && overRate.compareAndSet(false, true)) {
                s.audit("wx.connectSocket", "denied", socket.host() + ": " + refused);
                s.taskEvent(task, "error", Json.object().put("errMsg", refused));
                socket.close(1008, "too many messages");
            }
            return false;
        }

        @Override
        public void error(String message) {
            s.audit("wx.connectSocket", "failed", message);
            s.taskEvent(task, "error", Json.object().put("errMsg", message));
        }

        @Override
        public void closed(int code, String reason) {
            s.sockets().released(task);
            s.taskEvent(task, "close", Json.object().put("code", code).put("reason", reason));
        }
    }
}
