package dev.capsule.server.payments.internal.webhooks;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A merchant's receiver for the delivery tests: HTTPS on 127.0.0.1 for {@value WebhookReceiverTls#HOST}; each path
 * answers the statuses queued for it in order (then 204), and every request is recorded.
 */
final class ScriptedReceiver implements AutoCloseable {
    record Received(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    record Reply(int status, Map<String, String> headers, String body) {
    }

    final WebhookReceiverTls tls = new WebhookReceiverTls();
    private final HttpsServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final Map<String, Deque<Reply>> script = new ConcurrentHashMap<>();
    final List<Received> received = new CopyOnWriteArrayList<>();

    ScriptedReceiver() {
        try {
            server = HttpsServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                received.add(new Received(path, Map.copyOf(exchange.getRequestHeaders()), exchange.getRequestBody().readAllBytes()));
                Deque<Reply> replies = script.get(path);
                Reply reply;
                synchronized (this) {
                    reply = replies == null || replies.isEmpty() ? new Reply(204, Map.of(), "") : replies.removeFirst();
                }
                reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
                byte[] body = reply.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
                if (body.length > 0) {
                    exchange.getResponseBody().write(body);
                }
            }
        });
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Queues replies for {@code path}, answered in order. */
    synchronized void reply(String path, Reply... replies) {
        script.computeIfAbsent(path, p -> new ArrayDeque<>()).addAll(List.of(replies));
    }

    static Reply status(int status) {
        return new Reply(status, Map.of(), "");
    }

    List<Received> to(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
