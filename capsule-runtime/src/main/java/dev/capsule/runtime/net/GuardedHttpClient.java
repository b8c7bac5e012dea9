package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import javax.net.ssl.SSLContext;

/**
 * The HTTPS client behind {@code wx.request}: the only way a mini-program reaches the network.
 *
 * <p>Security guarantees (for every request, redirects included):
 * <ul>
 *   <li>Only {@code https} URLs whose host and port are exactly an entry of the allowlist passed to
 *       {@link #send} (capsule.json {@code network.request}); the host is lower-cased and must be
 *       ASCII; user info, IP literals in any notation, a trailing dot and special-use names are
 *       refused ({@link TargetUrl}).</li>
 *   <li>Capsule resolves the name itself, once per hop, and checks every address before any
 *       connection: loopback, private, link-local (cloud metadata 169.254.169.254 included),
 *       CGNAT, multicast, broadcast, unspecified, documentation, benchmarking and reserved
 *       addresses, IPv6 unique-local and link-local, and IPv4 addresses embedded in IPv6
 *       (mapped, NAT64, 6to4) that are any of those, are refused; one bad address fails the request
 *       ({@link PublicAddressPolicy}). The connection goes to exactly the checked addresses: the
 *       HTTP library can only see those ({@link PinnedDnsResolver}), so a second, rebinding DNS
 *       answer is never asked for. No proxy is ever used.</li>
 *   <li>TLS 1.3 or 1.2 only, certificate chain verified against the JDK's default trust store,
 *       host name verified against the URL's host (twice, by the JDK and by the library), SNI
 *       set ({@link StrictTlsStrategy}).</li>
 *   <li>Redirects are followed by Capsule, not the library: at most {@link NetLimits#redirectsMax()},
 *       each target checked as above; 303, and 301/302 after POST, become a body-less GET;
 *       Authorization and Cookie are dropped when the origin changes ({@link HopRequest}).</li>
 *   <li>Bounded: the whole request (queueing, DNS, connect, TLS, redirects, body) within the
 *       request's timeout (at most {@link NetLimits#timeoutMillisMax()}), each DNS lookup, connect
 *       and handshake within its own constant; the response body read to at most cap + 1 bytes,
 *       never held beyond the cap; request body, header count and sizes, URL length, response
 *       header count and line length all capped ({@link NetLimits}).</li>
 *   <li>Only GET, POST, PUT, DELETE, HEAD and OPTIONS; headers with control or non-ASCII
 *       characters refused; framing, hop-by-hop, proxy, identity and forwarding headers dropped
 *       ({@link GuestHeaders}); a fixed User-Agent {@value #USER_AGENT}; no cookie jar, no stored
 *       credentials, no retries.</li>
 *   <li>{@link #send} never throws for anything the mini-program controls and its future always
 *       completes with an {@link HttpOutcome} (barring a JVM {@link Error}); failure messages are one
 *       escaped line that names the host or the limit, never an internal address or a stack trace.</li>
 * </ul>
 *
 * <p>The production client comes only from {@link #create()} or {@link #create(NetLimits)}: system
 * DNS, the JDK trust store, the public-address policy. The constructor that accepts another
 * resolver, trust store or address policy (so that tests can reach a local server) is
 * package-private. Without JPMS a class placed in this package on the class path could call it;
 * the runtime's class path is the host's to control.
 *
 * <p>Threads: requests run on a small bounded pool owned by the client and their futures complete
 * there, so callers should hop back to their own event loop. When the pool and its queue are full,
 * or after {@link #close()}, {@code send} returns an already completed
 * {@link FailureKind#UNAVAILABLE} failure.
 */
public final class GuardedHttpClient implements AutoCloseable {
    /** Sent on every request; the mini-program cannot change it. Says nothing about the device. */
    public static final String USER_AGENT = "Capsule/0.1 (mini-program)";
    /** Requests in progress at once, across every mini-program using this client. */
    static final int WORKER_THREADS = 16;
    /** Requests waiting for a worker; more fail at once as UNAVAILABLE. */
    static final int QUEUED_REQUESTS_MAX = 256;
    private static final long IDLE_THREAD_SECONDS = 30;

    private final NetLimits limits;
    private final Resolver resolver;
    private final AddressPolicy addressPolicy;
    private final HopExecutor hops;
    private final ThreadPoolExecutor workers;
    private final ScheduledThreadPoolExecutor watchdog;
    private final GuardedSocketClient sockets;
    private final Set<Exchange> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Package-private: only this package (and its tests) may choose the resolver, trust store,
     * address policy or connect port.
     *
     * @param connectPort maps the URL's port to the TCP port to connect to; identity in production
     */
    GuardedHttpClient(NetLimits limits, Resolver resolver, AddressPolicy addressPolicy, SSLContext sslContext, IntUnaryOperator connectPort) {
        this(limits, resolver, addressPolicy, sslContext, connectPort, connectPort);
    }

    /** As above; tests connect WebSockets to a server of their own ({@code socketConnectPort}). */
    GuardedHttpClient(NetLimits limits, Resolver resolver, AddressPolicy addressPolicy, SSLContext sslContext, IntUnaryOperator connectPort,
            IntUnaryOperator socketConnectPort) {
        this.sockets = new GuardedSocketClient(resolver, addressPolicy, sslContext, socketConnectPort);
        this.limits = Objects.requireNonNull(limits, "limits");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.addressPolicy = Objects.requireNonNull(addressPolicy, "addressPolicy");
        this.hops = new HopExecutor(new StrictTlsStrategy(sslContext), connectPort, limits.responseBodyBytesMax());
        this.workers = new ThreadPoolExecutor(WORKER_THREADS, WORKER_THREADS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS_MAX),
                Thread.ofPlatform().daemon().name("capsule-net-", 0).factory());
        this.workers.allowCoreThreadTimeOut(true);
        this.watchdog = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("capsule-net-watchdog").factory());
        this.watchdog.setRemoveOnCancelPolicy(true);
    }

    /** The production client with the contract's limits ({@link NetLimits#DEFAULTS}). */
    public static GuardedHttpClient create() {
        return create(NetLimits.DEFAULTS);
    }

    /** The production client with lower limits, for a host that wants them. */
    public static GuardedHttpClient create(NetLimits limits) {
        return new GuardedHttpClient(limits, new SystemResolver(), PublicAddressPolicy.INSTANCE, jdkTrustStore(), port -> port);
    }

    /**
     * Makes the request if the allowlist permits it.
     *
     * @param request   what the mini-program asked for, unchecked
     * @param allowlist the mini-program's {@code network.request} hosts
     * @return completes on a client thread with a response or a failure; never exceptionally for
     *     anything the mini-program controls
     * @throws NullPointerException if an argument or an allowlist entry is null (a host bug)
     */
    public CompletableFuture<HttpOutcome> send(HttpRequestSpec request, List<HostName> allowlist) {
        return send(request, allowlist, "network.request");
    }

    /**
     * As {@link #send(HttpRequestSpec, List)} against another of the manifest's lists
     * ({@code network.downloadFile}, {@code network.uploadFile}), named in a refusal.
     */
    public CompletableFuture<HttpOutcome> send(HttpRequestSpec request, List<HostName> allowlist, String allowlistName) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(allowlistName, "allowlistName");
        Exchange exchange = new Exchange(request, List.copyOf(allowlist), allowlistName, limits, resolver, addressPolicy, hops, System.nanoTime());
        if (closed) {
            exchange.completeClosed();
            return exchange.outcome();
        }
        pending.add(exchange);
        ScheduledFuture<?> timer;
        try {
            timer = watchdog.schedule(() -> exchange.abort(FailureKind.TIMEOUT), exchange.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            pending.remove(exchange);
            exchange.completeClosed();
            return exchange.outcome();
        }
        exchange.outcome().whenComplete((outcome, error) -> {
            timer.cancel(false);
            pending.remove(exchange);
        });
        try {
            workers.execute(exchange);
        } catch (RejectedExecutionException e) {
            if (closed) {
                exchange.completeClosed();
            } else {
                exchange.outcome().complete(new HttpOutcome.Failure(FailureKind.UNAVAILABLE, "too many network requests in progress"));
            }
        }
        return exchange.outcome();
    }

    /**
     * The WebSocket client with this client's guard: the same resolver, address policy and trust
     * store (so a host configures the network once); closed with this client.
     */
    public GuardedSocketClient sockets() {
        return sockets;
    }

    /** The limits this client applies. */
    public NetLimits limits() {
        return limits;
    }

    /**
     * Stops the client: waiting requests complete as {@link FailureKind#UNAVAILABLE}, requests in
     * progress are aborted (their sockets closed) and complete likewise, new ones fail at once.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Runnable waiting : workers.shutdownNow()) {
            ((Exchange) waiting).completeClosed();
        }
        for (Exchange exchange : pending) {
            exchange.abort(FailureKind.UNAVAILABLE);
        }
        watchdog.shutdownNow();
        sockets.close();
        resolver.close();
    }

    private static SSLContext jdkTrustStore() {
        try {
            // A context of our own (not SSLContext.getDefault()), initialised with the JDK's default
            // trust managers: the cacerts trust store, or javax.net.ssl.trustStore if the host set one.
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no usable TLS implementation", e);
        }
    }
}
