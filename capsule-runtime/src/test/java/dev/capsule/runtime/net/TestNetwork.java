package dev.capsule.runtime.net;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.capsule.core.manifest.HostName;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * A local HTTPS server on 127.0.0.1 that answers for {@value #API_HOST} and {@value #CDN_HOST}
 * with a certificate from a CA made at test time, and {@link GuardedHttpClient}s wired to it.
 * For tests anywhere in the runtime, e.g. the bridge's {@code wx.request} tests:
 *
 * <pre>{@code
 * try (TestNetwork network = TestNetwork.start()) {
 *     network.respond("/todos", 200, "application/json", "[]");
 *     GuardedHttpClient client = network.client();          // closed with the network
 *     HttpOutcome outcome = client.send(HttpRequestSpec.get(network.url("/todos")),
 *             TestNetwork.allowlist(TestNetwork.API_HOST)).join();
 *     assertThat(network.requestCount()).isEqualTo(1);
 * }
 * }</pre>
 *
 * <p>Clients from {@link #client()} resolve {@value #API_HOST}, {@value #CDN_HOST} and
 * {@value #UNCERTIFIED_HOST} to 127.0.0.1 (any other name fails DNS), connect to the server's
 * ephemeral port whatever port the URL names (so URLs and allowlists look like production:
 * {@code https://api.example.com/path}, entry {@code api.example.com}), trust only the test CA, and
 * admit 127.0.0.1 while blocking every other non-public address like production. Everything
 * else (allowlist, redirects, limits, headers, TLS checks) is the production code path.
 */
public final class TestNetwork implements AutoCloseable {
    public static final String API_HOST = "api.example.com";
    public static final String CDN_HOST = "cdn.example.com";
    /** Resolves to the server, but the server's certificate does not name it. */
    public static final String UNCERTIFIED_HOST = "uncertified.example.com";
    /** Resolves to a private address (10.0.0.7): every connection to it must be refused. */
    public static final String PRIVATE_HOST = "internal.example.com";
    static final InetAddress SERVER_ADDRESS = InetAddress.ofLiteral("127.0.0.1");
    static final InetAddress PRIVATE_ADDRESS = InetAddress.ofLiteral("10.0.0.7");
    private static final Set<String> RESOLVED_HOSTS = Set.of(API_HOST, CDN_HOST, UNCERTIFIED_HOST);
    private static final int RECORDED_BODY_BYTES_MAX = 2 * 1024 * 1024;

    /** A request as the server received it. Header names are lower case. */
    public record RecordedRequest(String method, String pathAndQuery, Map<String, List<String>> headers, byte[] body, String serverName) {
        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final TestCertificates.Issued authority;
    private final HttpsServer server;
    private final ExecutorService serverThreads;
    private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final List<GuardedHttpClient> clients = new CopyOnWriteArrayList<>();
    private final SSLContext serverTls;
    private TestSocketServer sockets;

    private TestNetwork(String[] serverProtocols) throws IOException {
        authority = TestCertificates.newAuthority("Capsule Test CA");
        TestCertificates.Issued certificate = TestCertificates.issueServer(authority, API_HOST, CDN_HOST);
        serverTls = TestCertificates.serverContext(certificate, authority);
        server = HttpsServer.create(new InetSocketAddress(SERVER_ADDRESS, 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters parameters = serverTls.getDefaultSSLParameters();
                if (serverProtocols != null) {
                    parameters.setProtocols(serverProtocols);
                }
                params.setSSLParameters(parameters);
            }
        });
        serverThreads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("test-https-", 0).factory());
        server.setExecutor(serverThreads);
        server.createContext("/", this::dispatch);
        server.start();
    }

    /** Starts a server; close it (and the clients it made) with {@link #close()}. */
    public static TestNetwork start() {
        return start((String[]) null);
    }

    /** Starts a server that speaks only the given TLS protocols (e.g. "TLSv1.2"). */
    static TestNetwork start(String... serverProtocols) {
        try {
            return new TestNetwork(serverProtocols);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Allowlist entries as capsule.json would list them, e.g. {@code allowlist(API_HOST, "cdn.example.com:8443")}. */
    public static List<HostName> allowlist(String... entries) {
        return Arrays.stream(entries).map(HostName::parse).toList();
    }

    /** {@code https://api.example.com<path>}. */
    public String url(String path) {
        return url(API_HOST, path);
    }

    /** {@code https://<host><path>}. */
    public String url(String host, String path) {
        return "https://" + host + path;
    }

    /** The server's real port, which clients from this class connect to whatever the URL says. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Answers requests for exactly {@code path} (query ignored) with a fixed response. */
    public void respond(String path, int status, String contentType, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        handle(path, exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
            if (!noBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
    }

    /** Answers requests for exactly {@code path} (query ignored) with {@code handler}; unknown paths get 404. */
    public void handle(String path, HttpHandler handler) {
        handlers.put(path, handler);
    }

    /** How many requests reached the server (over TLS, with a complete request head). */
    public int requestCount() {
        return requests.size();
    }

    /** The requests that reached the server, oldest first. */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** A client wired to this server with the contract's limits; closed by {@link #close()}. */
    public GuardedHttpClient client() {
        return client(NetLimits.DEFAULTS);
    }

    /** A client wired to this server with lower limits; closed by {@link #close()}. */
    public GuardedHttpClient client(NetLimits limits) {
        return client(limits, resolver(), loopbackServerPolicy());
    }

    /** A client that trusts the test CA and reaches this server's port, with the given DNS and address policy. */
    GuardedHttpClient client(NetLimits limits, Resolver resolver, AddressPolicy policy) {
        return track(new GuardedHttpClient(limits, resolver, policy, clientTrust(), urlPort -> port(), urlPort -> sockets().port()));
    }

    /** A client with any trust store (e.g. the JDK's), wired to this server otherwise. */
    GuardedHttpClient client(SSLContext trust) {
        return track(new GuardedHttpClient(NetLimits.DEFAULTS, resolver(), loopbackServerPolicy(), trust, urlPort -> port()));
    }

    /**
     * The WSS server ({@link TestSocketServer}) for the same names and certificate, started on first
     * use; this network's clients connect their WebSockets to it, whatever port the URL names.
     */
    public synchronized TestSocketServer sockets() {
        if (sockets == null) {
            sockets = new TestSocketServer(serverTls);
        }
        return sockets;
    }

    /** Trusts only this network's CA. */
    SSLContext clientTrust() {
        return TestCertificates.trusting(authority);
    }

    /** Resolves the test names to 127.0.0.1; anything else does not exist. */
    static Resolver resolver() {
        return (host, timeout) -> {
            if (host.equals(PRIVATE_HOST)) {
                return List.of(PRIVATE_ADDRESS);
            }
            if (!RESOLVED_HOSTS.contains(host)) {
                throw new UnknownHostException(host);
            }
            return List.of(SERVER_ADDRESS);
        };
    }

    /** Production's policy, except that the test server's 127.0.0.1 is admitted. */
    static AddressPolicy loopbackServerPolicy() {
        return address -> address.equals(SERVER_ADDRESS) ? Optional.empty() : PublicAddressPolicy.INSTANCE.blockReason(address);
    }

    GuardedHttpClient track(GuardedHttpClient client) {
        clients.add(client);
        return client;
    }

    @Override
    public void close() {
        clients.forEach(GuardedHttpClient::close);
        server.stop(0);
        synchronized (this) {
            if (sockets != null) {
                sockets.close();
            }
        }
        serverThreads.shutdownNow();
    }

    private void dispatch(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.add(record(exchange));
            HttpHandler handler = handlers.get(exchange.getRequestURI().getPath());
            if (handler == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                handler.handle(exchange);
            }
        } catch (IOException e) {
            // The client went away (timeouts, size caps): expected in these tests.
        }
    }

    private static RecordedRequest record(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        byte[] body = exchange.getRequestBody().readNBytes(RECORDED_BODY_BYTES_MAX);
        String serverName = null;
        if (exchange instanceof HttpsExchange https && https.getSSLSession() instanceof ExtendedSSLSession session) {
            for (SNIServerName name : session.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    serverName = host.getAsciiName();
                }
            }
        }
        return new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery()),
                Collections.unmodifiableMap(headers), body, serverName);
    }
}
