package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.exceptions.MessageTooLargeException;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/**
 * The WebSocket client behind {@code wx.connectSocket} (Jetty 12's client), with the same guard as
 * {@link GuardedHttpClient}, which owns it ({@link GuardedHttpClient#sockets()}) and shares its
 * resolver, address policy and trust store.
 *
 * <p>Security guarantees (for every connection):
 * <ul>
 *   <li>Only {@code wss} URLs whose host and port are exactly an entry of the allowlist passed to
 *       {@link #connect} (capsule.json {@code network.connectSocket}), by {@link TargetUrl}'s rules.</li>
 *   <li>Capsule resolves the name itself and checks every address with the public-address policy
 *       before any connection; Jetty's {@link SocketAddressResolver} is this class, so Jetty connects
 *       to exactly the addresses that were checked, and never asks DNS again (no rebinding). No proxy.</li>
 *   <li>TLS 1.3 or 1.2 only, certificate chain verified, HTTPS endpoint identification against the
 *       URL's host name (SNI set to it) by the JDK's engine.</li>
 *   <li>Guest headers held to {@link GuestHeaders}' rules (framing, identity, {@code Sec-*} and
 *       proxy headers dropped; control characters refused); sub-protocols must be HTTP tokens, at most
 *       {@link #PROTOCOLS_MAX}; a fixed User-Agent, no cookie jar, no redirects, no extensions
 *       (so no compression bomb).</li>
 *   <li>Bounded: the whole connect (DNS, TCP, TLS, upgrade) within {@link #CONNECT_TIMEOUT_MILLIS};
 *       a message in either direction at most {@link #MESSAGE_BYTES_MAX} (a larger incoming one
 *       closes the connection with 1009); a connection idle for {@link #IDLE_TIMEOUT_MILLIS} is closed.</li>
 *   <li>Failures are one line naming the host or the limit, never an address or a stack trace.</li>
 * </ul>
 * Per-session limits (sockets open, messages per minute) are the session's ({@code SocketApis}).
 */
public final class GuardedSocketClient implements AutoCloseable {
    /** Largest message in either direction, text (UTF-8 bytes) or binary: 256 KiB (fits the worker protocol's token limit as bytes). */
    public static final int MESSAGE_BYTES_MAX = 256 * 1024;
    /** DNS, TCP connect, TLS handshake and upgrade together. */
    public static final int CONNECT_TIMEOUT_MILLIS = 10_000;
    /** A connection with no frame in either direction for this long is closed (servers that want long-lived sockets ping). */
    public static final long IDLE_TIMEOUT_MILLIS = 10 * 60_000;
    /** Sub-protocols one connect may offer. */
    public static final int PROTOCOLS_MAX = 8;
    /** Longest close reason, in UTF-8 bytes (RFC 6455: the close frame's payload is at most 125 bytes). */
    public static final int CLOSE_REASON_BYTES_MAX = 123;
    /** Threads of the client, across every mini-program using it. */
    static final int THREADS_MAX = 16;

    private final Resolver resolver;
    private final AddressPolicy addressPolicy;
    private final SSLContext sslContext;
    private final IntUnaryOperator connectPort;
    private WebSocketClient client;
    private boolean closed;

    GuardedSocketClient(Resolver resolver, AddressPolicy addressPolicy, SSLContext sslContext, IntUnaryOperator connectPort) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
        this.sslContext = Objects.requireNonNull(sslContext, "sslContext");
        this.connectPort = Objects.requireNonNull(connectPort, "connectPort");
    }

    /**
     * Connects if the allowlist and the address policy permit it. Never throws for anything the
     * mini-program controls: every outcome reaches {@code listener}, on the client's threads.
     */
    public void connect(SocketRequestSpec request, List<HostName> allowlist, SocketListener listener) {
        Objects.requireNonNull(listener, "listener");
        TargetUrl target;
        ClientUpgradeRequest upgrade;
        try {
            target = TargetUrl.check(request.url(), List.copyOf(allowlist), "wss", "network.connectSocket");
            upgrade = new ClientUpgradeRequest(URI.create("wss://" + target.authority() + target.pathAndQuery()));
            for (HeaderField h : GuestHeaders.check(request.headers(), NetLimits.REQUEST_HEADERS_MAX)) {
                upgrade.setHeader(h.name(), h.value());
            }
            upgrade.setSubProtocols(protocols(request.protocols()));
        } catch (RequestRefused e) {
            listener.refused(e.kind(), e.getMessage());
            return;
        }
        WebSocketClient c;
        try {
            c = started();
        } catch (Exception e) {
            listener.refused(FailureKind.UNAVAILABLE, "the network client is not available");
            return;
        }
        upgrade.setTimeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        Endpoint endpoint = new Endpoint(target.host(), listener);
        try {
            CompletableFuture<Session> connecting = c.connect(endpoint, upgrade);
            connecting.orTimeout(CONNECT_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)
                    .whenComplete((session, error) -> {
                        if (error != null) {
                            connecting.cancel(true);
                            endpoint.refused(error);
                        }
                    });
        } catch (IOException | RuntimeException e) {
            endpoint.refused(e);
        }
    }

    private static List<String> protocols(List<String> protocols) throws RequestRefused {
        if (protocols.size() > PROTOCOLS_MAX) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "more than " + PROTOCOLS_MAX + " protocols");
        }
        for (String p : protocols) {
            if (p == null || p.isEmpty() || p.length() > 64 || !p.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0)) {
                throw new RequestRefused(FailureKind.BAD_REQUEST, "protocols must be HTTP tokens of at most 64 characters");
            }
        }
        return protocols;
    }

    private synchronized WebSocketClient started() throws Exception {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (client == null) {
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setSslContext(sslContext);
            tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setTrustAll(false);
            HttpClient http = new HttpClient();
            http.setSslContextFactory(tls);
            http.setSocketAddressResolver(this::resolve);
            http.setHttpCookieStore(new HttpCookieStore.Empty());
            http.setFollowRedirects(false);
            http.setConnectTimeout(NetLimits.CONNECT_TIMEOUT_MILLIS);
            http.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, GuardedHttpClient.USER_AGENT));
            QueuedThreadPool threads = new QueuedThreadPool(THREADS_MAX, 2);
            threads.setName("capsule-ws");
            threads.setDaemon(true);
            http.setExecutor(threads);
            WebSocketClient ws = new WebSocketClient(http);
            ws.setMaxTextMessageSize(MESSAGE_BYTES_MAX);
            ws.setMaxBinaryMessageSize(MESSAGE_BYTES_MAX);
            ws.setMaxFrameSize(MESSAGE_BYTES_MAX);
            ws.setIdleTimeout(Duration.ofMillis(IDLE_TIMEOUT_MILLIS));
            ws.setConnectTimeout(NetLimits.CONNECT_TIMEOUT_MILLIS);
            ws.setStopAtShutdown(false);
            ws.start();
            client = ws;
        }
        return client;
    }

    /**
     * Jetty's only way to a host's addresses: looked up by Capsule, every one checked, and only those
     * handed back, so the connection goes to exactly what was checked. Runs on a client thread: a
     * slow DNS answer never holds the caller.
     */
    private void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Thread.ofVirtual().name("capsule-ws-dns").start(() -> {
            try {
                List<InetAddress> addresses;
                try {
                    addresses = List.copyOf(resolver.resolve(host, Duration.ofMillis(NetLimits.DNS_TIMEOUT_MILLIS)));
                } catch (UnknownHostException e) {
                    throw new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host);
                } catch (InterruptedIOException e) {
                    throw new RequestRefused(FailureKind.DNS_FAILED, "DNS lookup for " + host + " timed out");
                } catch (IOException e) {
                    throw new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host);
                }
                addressPolicy.requireAllowed(host, addresses);
                int to = connectPort.applyAsInt(port);
                List<InetSocketAddress> pinned = new java.util.ArrayList<>();
                for (InetAddress a : addresses) {
                    // The checked address, labelled with the host name (no lookup): Jetty verifies the
                    // certificate against, and sends SNI for, the socket address's host string.
                    pinned.add(new InetSocketAddress(InetAddress.getByAddress(host, a.getAddress()), to));
                }
                promise.succeeded(pinned);
            } catch (RequestRefused e) {
                promise.failed(e);
            } catch (UnknownHostException e) {
                promise.failed(new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host)); // a malformed address: not reachable
            }
        });
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            try {
                client.stop();
            } catch (Exception e) {
                // Stopping drops every connection; nothing more to do.
            }
        }
    }

    /**
     * Jetty's endpoint for one connection: turns its callbacks into {@link SocketListener} calls,
     * exactly once each. Public only because Jetty calls it through method handles; only this class
     * makes one.
     */
    public static final class Endpoint implements Session.Listener.AutoDemanding {
        private final String host;
        private final SocketListener listener;
        private boolean opened;
        private boolean ended;

        Endpoint(String host, SocketListener listener) {
            this.host = host;
            this.listener = listener;
        }

        @Override
        public synchronized void onWebSocketOpen(Session session) {
            if (ended) {
                session.disconnect(); // the connect already timed out
                return;
            }
            opened = true;
            listener.opened(new GuardedSocket(session, host));
        }

        @Override
        public synchronized void onWebSocketText(String message) {
            if (opened && !ended) {
                listener.text(message);
            }
        }

        @Override
        public synchronized void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            if (opened && !ended) {
                byte[] bytes = new byte[payload.remaining()];
                payload.get(bytes);
                listener.binary(bytes);
            }
            callback.succeed();
        }

        @Override
        public synchronized void onWebSocketError(Throwable cause) {
            if (!opened) {
                refused(cause);
                return;
            }
            if (!ended) {
                listener.error(cause instanceof MessageTooLargeException
                        ? "a message from " + host + " was larger than " + MESSAGE_BYTES_MAX + " bytes"
                        : "the connection to " + host + " failed");
            }
        }

        @Override
        public synchronized void onWebSocketClose(int code, String reason, Callback callback) {
            callback.succeed();
            if (opened && !ended) {
                ended = true;
                listener.closed(code, reason == null ? "" : reason);
            }
        }

        synchronized void refused(Throwable error) {
            if (opened || ended) {
                return;
            }
            ended = true;
            RequestRefused r = failureFor(error, host);
            listener.refused(r.kind(), r.getMessage());
        }

        /** A one-line failure naming the host, never the library's message (it names addresses). */
        private static RequestRefused failureFor(Throwable error, String host) {
            for (Throwable t = error; t != null; t = t.getCause()) {
                if (t instanceof RequestRefused r) {
                    return r;
                }
                if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException) {
                    return new RequestRefused(FailureKind.TIMEOUT, "connecting to " + host + " timed out");
                }
                if (t instanceof SSLException) {
                    return new RequestRefused(FailureKind.TLS_FAILED, "TLS with " + host + " failed: its certificate is not trusted or is not valid for "
                            + host + ", or no TLS 1.2 or later could be agreed");
                }
                if (t instanceof UpgradeException u && u.getResponseStatusCode() > 0) {
                    return new RequestRefused(FailureKind.BAD_RESPONSE, host + " refused the WebSocket upgrade (HTTP " + u.getResponseStatusCode() + ")");
                }
            }
            return new RequestRefused(FailureKind.CONNECTION_FAILED, "could not connect to " + host);
        }
    }
}
