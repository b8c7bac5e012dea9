package dev.capsule.runtime.net;

import dev.capsule.core.manifest.HostName;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One {@link GuardedHttpClient#send}: checks the request, then for each hop resolves the host once,
 * checks every address, makes the request to exactly those addresses, and follows redirects by
 * checking the new URL from the start. Runs on a client worker and completes its future there.
 */
final class Exchange implements Runnable {
    /** Marks an unusable timeout; {@link #perform} reports it as a bad request. */
    private static final long INVALID_TIMEOUT = -1;

    private final HttpRequestSpec spec;
    private final List<HostName> allowlist;
    private final String allowlistName;
    private final NetLimits limits;
    private final Resolver resolver;
    private final AddressPolicy addressPolicy;
    private final HopExecutor hops;
    private final long timeoutMillis;
    private final Deadline deadline;
    private final CompletableFuture<HttpOutcome> outcome = new CompletableFuture<>();

    Exchange(HttpRequestSpec spec, List<HostName> allowlist, String allowlistName, NetLimits limits, Resolver resolver,
             AddressPolicy addressPolicy, HopExecutor hops, long startNanos) {
        this.spec = spec;
        this.allowlist = allowlist;
        this.allowlistName = allowlistName;
        this.limits = limits;
        this.resolver = resolver;
        this.addressPolicy = addressPolicy;
        this.hops = hops;
        this.timeoutMillis = timeoutMillis(spec.timeout(), limits);
        this.deadline = new Deadline(startNanos, Math.max(timeoutMillis, 0));
    }

    /** The effective timeout: the limit when none is given or a longer one is, at least 1 ms. */
    static long timeoutMillis(Duration requested, NetLimits limits) {
        if (requested == null || requested.compareTo(Duration.ofMillis(limits.timeoutMillisMax())) >= 0) {
            return limits.timeoutMillisMax();
        }
        if (requested.isNegative() || requested.isZero()) {
            return INVALID_TIMEOUT;
        }
        return Math.max(1, requested.toMillis());
    }

    /** When the watchdog should stop this request, in milliseconds from its start; 0 if it ends at once. */
    long timeoutMillis() {
        return Math.max(timeoutMillis, 0);
    }

    CompletableFuture<HttpOutcome> outcome() {
        return outcome;
    }

    /** Stops the request (timeout or client closed); the worker then completes with that reason. */
    void abort(FailureKind why) {
        deadline.abort(why);
    }

    /** Completes a request that never ran because the client closed. */
    void completeClosed() {
        outcome.complete(closedFailure());
    }

    @Override
    public void run() {
        HttpOutcome result;
        try {
            result = perform();
        } catch (RequestRefused e) {
            result = e.toFailure();
        } catch (RuntimeException e) {
            // A library bug or an unforeseen server reply must still end as a fail the mini-program
            // can handle, and must not show it internals.
            result = new HttpOutcome.Failure(FailureKind.CONNECTION_FAILED, "the request failed");
        }
        outcome.complete(result);
    }

    private HttpOutcome perform() throws RequestRefused {
        if (timeoutMillis == INVALID_TIMEOUT) {
            throw new RequestRefused(FailureKind.BAD_REQUEST, "timeout must be a positive number of milliseconds");
        }
        HopRequest hop = HopRequest.first(spec, allowlist, allowlistName, limits);
        for (int redirects = 0; ; redirects++) {
            List<InetAddress> addresses = resolveChecked(hop.target().host());
            switch (hops.execute(hop, addresses, deadline)) {
                case HopResult.Done done -> {
                    return done.response();
                }
                case HopResult.Redirect redirect -> {
                    if (redirects == limits.redirectsMax()) {
                        throw new RequestRefused(FailureKind.TOO_MANY_REDIRECTS, "more than " + limits.redirectsMax() + " redirects");
                    }
                    hop = hop.redirectedTo(redirectTarget(hop, redirect), redirect.status());
                }
            }
        }
    }

    private TargetUrl redirectTarget(HopRequest hop, HopResult.Redirect redirect) throws RequestRefused {
        try {
            return hop.target().redirectTo(redirect.location(), allowlist, allowlistName);
        } catch (RequestRefused e) {
            throw new RequestRefused(e.kind(), "redirect refused: " + e.getMessage());
        }
    }

    /**
     * Resolves {@code host} once and checks every answer. One bad address fails the request rather
     * than being skipped: a name that mixes public and internal addresses is under someone's control
     * who should not be trusted with the choice.
     */
    private List<InetAddress> resolveChecked(String host) throws RequestRefused {
        requireNotAborted(host);
        Duration lookupTimeout = Duration.ofMillis(Math.min(NetLimits.DNS_TIMEOUT_MILLIS, deadline.remainingMillis()));
        List<InetAddress> addresses;
        try {
            addresses = List.copyOf(resolver.resolve(host, lookupTimeout));
        } catch (UnknownHostException e) {
            throw new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host);
        } catch (InterruptedIOException e) {
            requireNotAborted(host);
            throw new RequestRefused(FailureKind.DNS_FAILED, "DNS lookup for " + host + " timed out");
        } catch (IOException e) {
            throw new RequestRefused(FailureKind.DNS_FAILED, "could not resolve " + host);
        }
        requireNotAborted(host);
        addressPolicy.requireAllowed(host, addresses);
        return addresses;
    }

    private void requireNotAborted(String host) throws RequestRefused {
        if (deadline.abortedAs() == FailureKind.UNAVAILABLE) {
            throw new RequestRefused(FailureKind.UNAVAILABLE, closedFailure().message());
        }
        if (deadline.passed()) {
            throw new RequestRefused(FailureKind.TIMEOUT, "request to " + host + " timed out");
        }
    }

    private static HttpOutcome.Failure closedFailure() {
        return new HttpOutcome.Failure(FailureKind.UNAVAILABLE, "the network client was closed");
    }
}
