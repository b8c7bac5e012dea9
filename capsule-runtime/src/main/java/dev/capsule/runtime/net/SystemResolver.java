package dev.capsule.runtime.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The platform resolver ({@link InetAddress#getAllByName}) with a timeout. The JDK call cannot be
 * interrupted or given a timeout, so it runs on a small pool of its own and the caller waits for
 * at most the timeout; a lookup that hangs occupies a pool thread, not a request worker, and a full
 * pool fails new lookups instead of queueing them without bound.
 */
final class SystemResolver implements Resolver {
    static final int LOOKUP_THREADS = 8;
    static final int QUEUED_LOOKUPS_MAX = 64;
    private static final long IDLE_THREAD_SECONDS = 30;

    private final ThreadPoolExecutor lookups;

    SystemResolver() {
        lookups = new ThreadPoolExecutor(LOOKUP_THREADS, LOOKUP_THREADS, IDLE_THREAD_SECONDS, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_LOOKUPS_MAX),
                Thread.ofPlatform().daemon().name("capsule-dns-", 0).factory());
        lookups.allowCoreThreadTimeOut(true);
    }

    @Override
    public List<InetAddress> resolve(String host, Duration timeout) throws IOException {
        Future<InetAddress[]> lookup;
        try {
            lookup = lookups.submit(() -> InetAddress.getAllByName(host));
        } catch (RejectedExecutionException e) {
            throw new UnknownHostException("too many DNS lookups in progress");
        }
        try {
            return List.of(lookup.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            lookup.cancel(true);
            throw new SocketTimeoutException("DNS lookup timed out");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host);
        } catch (InterruptedException e) {
            lookup.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("DNS lookup interrupted");
        }
    }

    @Override
    public void close() {
        lookups.shutdownNow();
    }
}
