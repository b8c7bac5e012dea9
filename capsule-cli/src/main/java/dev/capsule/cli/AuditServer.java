package dev.capsule.cli;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.log.ExportFormat;
import dev.capsule.core.log.LogCursor;
import dev.capsule.core.log.LogEntry;
import dev.capsule.core.log.LogFormatException;
import dev.capsule.core.log.LogSource;
import dev.capsule.core.log.ProofSource;
import dev.capsule.core.log.SignedNote;
import dev.capsule.core.merkle.MerkleProofs;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The read API of one of the server's transparency logs over java.net.http: the audit log ({@link #AUDIT_API},
 * needs an API key) or the public release log ({@link #RELEASES_API}), which share one shape: latest checkpoint,
 * checkpoints and entries by page, and proofs. Everything it returns is checked by the caller ({@code LogVerifier});
 * this class only bounds and parses.
 *
 * <p>Security guarantees: the API key is sent only in the Authorization header of requests to the given server
 * (redirects are not followed) and never appears in a message; it is refused over plain http except to a loopback
 * address. Every request has a timeout and every response a size limit.
 */
final class AuditServer implements ProofSource, AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A page of 1000 entries of up to about 48 KiB each; larger answers are refused. */
    static final int RESPONSE_BYTES_MAX = 64 << 20;
    /** The contract's largest page of entries or checkpoints. */
    static final int PAGE_ITEMS_MAX = 1000;
    /** The audit log's API (docs/audit.md). */
    static final String AUDIT_API = "/api/v1/audit";
    /** The release transparency log's API (docs/releases.md): the audit API's shape, public. */
    static final String RELEASES_API = "/api/v1/releases/log";

    private final URI base;
    private final String api;
    private final Optional<String> apiKey;
    private final HttpClient client;

    private AuditServer(URI base, String api, Optional<String> apiKey, HttpClient client) {
        this.base = base;
        this.api = api;
        this.apiKey = apiKey;
        this.client = client;
    }

    /**
     * Connects (lazily) to {@code url}.
     *
     * @param pin SHA-256 of the server certificate to accept instead of the JDK's CA trust, if given
     */
    static AuditServer connect(String url, Optional<String> apiKey, Optional<byte[]> pin) throws CliFailure {
        return connect(url, AUDIT_API, apiKey, pin);
    }

    /** Connects (lazily) to the log whose API is at {@code api} ({@link #AUDIT_API} or {@link #RELEASES_API}) on {@code url}. */
    static AuditServer connect(String url, String api, Optional<String> apiKey, Optional<byte[]> pin) throws CliFailure {
        URI uri;
        try {
            uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--url: not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
            throw CliFailure.usage("--url: expected https://HOST[:PORT] (or http:// to a loopback address)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw CliFailure.usage("--url: give the server's base URL, without query, fragment or user info");
        }
        if (scheme.equals("http") && !isLoopback(uri.getHost())) {
            throw CliFailure.usage("--url: plain http is allowed only to a loopback address; use https");
        }
        if (pin.isPresent() && !scheme.equals("https")) {
            throw CliFailure.usage("--tls-fingerprint needs an https URL");
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        pin.ifPresent(p -> builder.sslContext(PinnedTrust.context(p)));
        return new AuditServer(uri, api, apiKey, builder.build());
    }

    /** Releases the HTTP client's threads and connections. */
    @Override
    public void close() {
        client.close();
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** The latest signed checkpoint note; empty when the log has none yet. */
    Optional<byte[]> latestCheckpoint() throws IOException {
        Answer answer = get(api + "/checkpoint", SignedNote.NOTE_BYTES_MAX);
        if (answer.status == 404) {
            return Optional.empty();
        }
        answer.requireOk();
        return Optional.of(answer.body);
    }

    /** The log as a {@link LogSource} of {@code size} entries (the latest checkpoint's size), with this server's proofs. */
    LogSource source(long size) {
        return LogSource.of(size, () -> checkpoints(size), () -> entries(size), Optional.of(this));
    }

    /**
     * The log as a {@link LogSource} of {@code size} entries vouched for by one signed checkpoint, {@code latest}
     * (the release log: its checkpoints are refreshed hourly, so only the latest one matters), with this server's proofs.
     */
    LogSource sourceAt(byte[] latest, long size) {
        return LogSource.of(size, () -> new PagedCursor<>() {
            private boolean sent;

            @Override
            List<byte[]> fetch() {
                if (sent) {
                    return List.of();
                }
                sent = true;
                return List.of(latest);
            }
        }, () -> entries(size), Optional.of(this));
    }

    /** Signed checkpoint notes of size at most {@code sizeMax}, ascending, fetched a page at a time. */
    LogCursor<byte[]> checkpoints(long sizeMax) {
        return new PagedCursor<>() {
            private long fromSize;

            @Override
            List<byte[]> fetch() throws IOException, LogFormatException {
                if (fromSize > sizeMax) {
                    return List.of();
                }
                long requested = fromSize;
                String path = api + "/checkpoints?fromSize=" + requested + "&limit=" + PAGE_ITEMS_MAX;
                JsonObject page = json(path);
                List<byte[]> notes = new ArrayList<>();
                try {
                    List<JsonNode> items = page.requireArray("checkpoints", PAGE_ITEMS_MAX);
                    for (int i = 0; i < items.size(); i++) {
                        JsonObject item = JsonObject.element(items.get(i), page, "checkpoints", i);
                        long size = item.requireLong("size", requested, ExportFormat.ENTRIES_MAX);
                        if (size > sizeMax) {
                            fromSize = Long.MAX_VALUE;
                            break;
                        }
                        notes.add(item.requireString("note").getBytes(StandardCharsets.UTF_8));
                        // Checkpoints come in ascending size: the next page starts past this one.
                        fromSize = size + 1;
                    }
                    if (items.size() < PAGE_ITEMS_MAX) {
                        fromSize = Long.MAX_VALUE;
                    }
                } catch (JsonFormatException e) {
                    throw new LogFormatException(e.getMessage());
                }
                return notes;
            }
        };
    }

    /** Entries 0..size-1, fetched {@link #PAGE_ITEMS_MAX} at a time. */
    LogCursor<LogEntry> entries(long size) {
        return new PagedCursor<>() {
            private long start;

            @Override
            List<LogEntry> fetch() throws IOException, LogFormatException {
                if (start >= size) {
                    return List.of();
                }
                long end = Math.min(size, start + PAGE_ITEMS_MAX);
                String path = api + "/entries?start=" + start + "&end=" + end;
                JsonObject page = json(path);
                List<LogEntry> entries = new ArrayList<>();
                try {
                    List<JsonNode> items = page.requireArray("entries", PAGE_ITEMS_MAX);
                    for (int i = 0; i < items.size(); i++) {
                        JsonObject item = JsonObject.element(items.get(i), page, "entries", i);
                        entries.add(ExportFormat.parseEntry(item, "server: " + item.path(), true));
                    }
                } catch (JsonFormatException e) {
                    throw new LogFormatException(e.getMessage());
                }
                // A short page ends the log here; the verifier names the first missing entry.
                start = entries.size() == end - start ? end : Long.MAX_VALUE;
                return entries;
            }
        };
    }

    @Override
    public List<byte[]> inclusionProof(long index, long size) throws IOException, LogFormatException {
        return proof(api + "/proofs/inclusion?index=" + index + "&size=" + size);
    }

    @Override
    public List<byte[]> consistencyProof(long from, long to) throws IOException, LogFormatException {
        return proof(api + "/proofs/consistency?from=" + from + "&to=" + to);
    }

    private List<byte[]> proof(String path) throws IOException, LogFormatException {
        JsonObject answer = json(path);
        try {
            List<String> hashes = answer.optionalStrings("proof", MerkleProofs.PROOF_HASHES_MAX);
            if (!answer.has("proof")) {
                throw answer.error("missing required field 'proof'");
            }
            List<byte[]> proof = new ArrayList<>(hashes.size());
            for (String hash : hashes) {
                proof.add(ExportFormat.hash(hash, "server: " + path + ": proof hash"));
            }
            return proof;
        } catch (JsonFormatException e) {
            throw new LogFormatException(e.getMessage());
        }
    }

    private JsonObject json(String path) throws IOException, LogFormatException {
        Answer answer = get(path, RESPONSE_BYTES_MAX);
        answer.requireOk();
        try {
            return StrictJson.parseObject(answer.body, "server answer to GET " + path, RESPONSE_BYTES_MAX);
        } catch (JsonFormatException e) {
            throw new LogFormatException(e.getMessage());
        }
    }

    private Answer get(String path, int bytesMax) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json, text/plain, application/problem+json")
                .header("User-Agent", "capsule-cli")
                .GET();
        apiKey.ifPresent(key -> request.header("Authorization", "Bearer " + key));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } catch (IOException e) {
            throw new IOException("GET " + path + ": " + describe(e));
        }
        try (InputStream in = response.body()) {
            byte[] body = in.readNBytes(bytesMax + 1);
            if (body.length > bytesMax) {
                throw new IOException("GET " + path + ": answer larger than " + bytesMax + " bytes");
            }
            return new Answer(path, response.statusCode(), body);
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "cannot connect" + (message == null ? "" : " (" + message + ")");
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (e instanceof javax.net.ssl.SSLException || e.getCause() instanceof javax.net.ssl.SSLException) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof java.security.cert.CertificateException c && c.getMessage() != null
                        && c.getMessage().contains("--tls-fingerprint")) {
                    return "TLS failed: " + c.getMessage();
                }
            }
            if (message != null && message.contains("PKIX")) {
                return "TLS failed: the server certificate is not issued by an authority this JDK trusts"
                        + " (pin it with --tls-fingerprint)";
            }
            return "TLS failed" + (message == null ? "" : ": " + message.replaceAll("[a-z]+(\\.[a-z]+)+\\.\\w*Exception:? ?", ""));
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** One HTTP answer, body already read within its limit. */
    private record Answer(String path, int status, byte[] body) {
        void requireOk() throws IOException {
            if (status != 200) {
                throw new IOException("GET " + path + ": HTTP " + status + problemDetail());
            }
        }

        /** The RFC 9457 problem's detail (or title), if the body is one. */
        private String problemDetail() {
            try {
                JsonObject problem = StrictJson.parseObject(body, "problem", 64 * 1024);
                String text = problem.has("detail") ? problem.requireString("detail")
                        : problem.has("title") ? problem.requireString("title") : null;
                return text == null ? "" : ": " + text;
            } catch (JsonFormatException e) {
                return "";
            }
        }
    }

    /** Yields items page by page; an empty page ends it. */
    private abstract static class PagedCursor<T> implements LogCursor<T> {
        private final Deque<T> buffered = new ArrayDeque<>();
        private boolean done;

        abstract List<T> fetch() throws IOException, LogFormatException;

        @Override
        public T next() throws IOException, LogFormatException {
            while (buffered.isEmpty() && !done) {
                List<T> page = fetch();
                if (page.isEmpty()) {
                    done = true;
                }
                buffered.addAll(page);
            }
            return buffered.poll();
        }

        @Override
        public void close() {
            buffered.clear();
            done = true;
        }
    }
}
