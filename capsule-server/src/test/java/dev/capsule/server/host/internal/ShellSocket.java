package dev.capsule.server.host.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client of the shell (the JDK's {@code java.net.http.WebSocket}, trusting the test server's
 * certificate): collects the server's frames as JSON and the close code.
 */
final class ShellSocket implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final BlockingQueue<JsonNode> frames = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private ShellSocket(HttpClient client, URI uri, String user, String origin, String... headers) {
        StringBuilder text = new StringBuilder();
        WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(WAIT);
        if (user != null) {
            builder.header(ShellTestBeans.USER_HEADER, user);
        }
        if (origin != null) {
            builder.header("Origin", origin);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        socket = builder.buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                text.append(data);
                if (last) {
                    frames.add(JSON.readTree(text.toString()));
                    text.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).join();
    }

    /** Connects as {@code user} with {@code origin}; throws (a CompletionException) when the handshake is refused. */
    static ShellSocket connect(SSLContext tls, int port, String pathAndQuery, String user, String origin, String... headers) {
        HttpClient client = HttpClient.newBuilder().sslContext(tls).connectTimeout(WAIT).build();
        return new ShellSocket(client, URI.create("wss://localhost:" + port + pathAndQuery), user, origin, headers);
    }

    static String origin(int port) {
        return "https://localhost:" + port;
    }

    void send(String frame) {
        socket.sendText(frame, true).join();
    }

    /** The next frame matching {@code filter} (frames before it are kept in {@link #seen}); fails after {@link #WAIT}. */
    JsonNode next(Predicate<JsonNode> filter) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + WAIT + "; frames seen: " + seen);
            }
            seen.add(frame);
            if (filter.test(frame)) {
                return frame;
            }
        }
    }

    JsonNode next(String type) throws InterruptedException {
        return next(frame -> frame.path("t").asString().equals(type));
    }

    /** Frames that arrive within {@code wait} (none expected: an empty list). */
    List<JsonNode> drain(Duration wait) throws InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            JsonNode frame = frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame != null) {
                seen.add(frame);
                out.add(frame);
            }
        }
        return out;
    }

    int awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    // ---- reading the page tree ----

    /** The first element node with {@code tag} in a page frame's tree (depth first), or null. */
    static JsonNode element(JsonNode node, String tag) {
        if (tag.equals(node.path("tag").asString(""))) {
            return node;
        }
        for (JsonNode child : node.path("children")) {
            JsonNode found = element(child, tag);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Every text of a page frame's tree, concatenated. */
    static String text(JsonNode node) {
        StringBuilder out = new StringBuilder();
        if (node.has("text")) {
            out.append(node.get("text").asString()).append(' ');
        }
        node.path("children").forEach(child -> out.append(text(child)));
        return out.toString();
    }
}
