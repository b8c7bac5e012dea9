package dev.capsule.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.log.Checkpoint;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.log.SignedNote;
import dev.capsule.core.testing.TestAuditLog;
import dev.capsule.core.testing.TestReleaseLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The audit HTTP API of the contract (GET checkpoint, checkpoints, entries, proofs), served by the JDK's HttpServer
 * from a {@link TestAuditLog}, or the release log's API of the same shape (public, under /api/v1/releases/log) from a
 * {@link TestReleaseLog}; tests swap in tampered entries, checkpoints or proofs.
 */
final class AuditTestServer implements AutoCloseable {
    static final String API_KEY = "capk_0123456789abcdef0123456789abcdef";

    private final HttpServer http;
    private final String api;
    private final boolean apiKeyRequired;
    private final long size;
    volatile List<byte[]> notes;
    volatile List<LogEntry> entries;
    volatile BiFunction<Long, Long, List<byte[]>> inclusion;
    volatile BiFunction<Long, Long, List<byte[]>> consistency;
    final List<String> requests = java.util.Collections.synchronizedList(new ArrayList<>());

    private AuditTestServer(HttpServer http, String api, boolean apiKeyRequired, long size, List<byte[]> notes, List<LogEntry> entries,
            BiFunction<Long, Long, List<byte[]>> inclusion, BiFunction<Long, Long, List<byte[]>> consistency) {
        this.http = http;
        this.api = api;
        this.apiKeyRequired = apiKeyRequired;
        this.size = size;
        this.notes = notes;
        this.entries = entries;
        this.inclusion = inclusion;
        this.consistency = consistency;
        http.createContext(api + "/", this::handle);
        http.start();
    }

    private AuditTestServer(HttpServer http, TestAuditLog log) {
        this(http, "/api/v1/audit", true, log.size(), log.checkpointNotes(), log.logEntries(), log::inclusionProof, log::consistencyProof);
    }

    static AuditTestServer start(TestAuditLog log) throws IOException {
        return new AuditTestServer(loopback(), log);
    }

    /** The public release-log API over {@code log}, whose latest checkpoint is {@code latest}. */
    static AuditTestServer startReleases(TestReleaseLog log, String latest) throws IOException {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            entries.add(LogEntry.of(i, log.entry(i)));
        }
        return new AuditTestServer(loopback(), "/api/v1/releases/log", false, log.size(),
                new ArrayList<>(List.of(latest.getBytes(StandardCharsets.UTF_8))), entries, log::inclusionProof, log::consistencyProof);
    }

    private static HttpServer loopback() throws IOException {
        return HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    }

    static AuditTestServer startTls(TestAuditLog log, SSLContext tls) throws IOException {
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new AuditTestServer(https, log);
    }

    String url() {
        String scheme = http instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + http.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                answer(exchange);
            } catch (RuntimeException e) {
                problem(exchange, 500, "Internal Server Error", e.getClass().getSimpleName());
            }
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        {
            URI uri = exchange.getRequestURI();
            requests.add(uri.toString());
            if (apiKeyRequired && !("Bearer " + API_KEY).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                problem(exchange, 401, "Unauthorized", "sign in or send an API key");
                return;
            }
            Map<String, String> q = query(uri.getRawQuery());
            String path = uri.getPath().startsWith(api + "/") ? uri.getPath().substring(api.length()) : "";
            switch (path) {
                case "/checkpoint" -> {
                    if (notes.isEmpty()) {
                        problem(exchange, 404, "Not Found", "the log has no checkpoint yet");
                    } else {
                        send(exchange, 200, "text/plain; charset=utf-8", notes.getLast());
                    }
                }
                case "/checkpoints" -> {
                    long from = Long.parseLong(q.getOrDefault("fromSize", "0"));
                    int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
                    ObjectNode root = StrictJson.mapper().createObjectNode();
                    ArrayNode list = root.putArray("checkpoints");
                    for (byte[] note : notes) {
                        long size = sizeOf(note);
                        if (size >= from && list.size() < limit) {
                            list.addObject().put("size", size).put("note", new String(note, StandardCharsets.UTF_8));
                        }
                    }
                    json(exchange, root);
                }
                case "/entries" -> {
                    long start = Long.parseLong(q.get("start"));
                    long end = Long.parseLong(q.get("end"));
                    if (end - start > 1000 || start < 0 || end > size || start >= end) {
                        problem(exchange, 400, "Bad Request", "bad range");
                        return;
                    }
                    ObjectNode root = StrictJson.mapper().createObjectNode();
                    ArrayNode list = root.putArray("entries");
                    for (LogEntry e : entries) {
                        if (e.index() >= start && e.index() < end && list.size() < end - start) {
                            list.addObject().put("index", e.index())
                                    .put("entry", Base64.getEncoder().encodeToString(e.entry()))
                                    .put("leafHash", Base64.getEncoder().encodeToString(e.leafHash()));
                        }
                    }
                    json(exchange, root);
                }
                case "/proofs/inclusion" -> {
                    long index = Long.parseLong(q.get("index"));
                    long size = Long.parseLong(q.get("size"));
                    ObjectNode root = StrictJson.mapper().createObjectNode();
                    root.put("index", index).put("size", size);
                    hashes(root.putArray("proof"), inclusion.apply(index, size));
                    json(exchange, root);
                }
                case "/proofs/consistency" -> {
                    long from = Long.parseLong(q.get("from"));
                    long to = Long.parseLong(q.get("to"));
                    ObjectNode root = StrictJson.mapper().createObjectNode();
                    root.put("from", from).put("to", to);
                    hashes(root.putArray("proof"), consistency.apply(from, to));
                    json(exchange, root);
                }
                default -> problem(exchange, 404, "Not Found", "no such resource");
            }
        }
    }

    private static long sizeOf(byte[] note) {
        try {
            return Checkpoint.parse(SignedNote.parse(note).text()).size();
        } catch (Exception e) {
            return Long.MAX_VALUE - 1;
        }
    }

    private static void hashes(ArrayNode array, List<byte[]> hashes) {
        hashes.forEach(h -> array.add(Base64.getEncoder().encodeToString(h)));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                out.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return out;
    }

    private static void json(HttpExchange exchange, ObjectNode root) throws IOException {
        send(exchange, 200, "application/json", StrictJson.mapper().writeValueAsBytes(root));
    }

    private static void problem(HttpExchange exchange, int status, String title, String detail) throws IOException {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("type", "about:blank").put("title", title).put("status", status).put("detail", detail);
        send(exchange, status, "application/problem+json", StrictJson.mapper().writeValueAsBytes(root));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
