package dev.capsule.runtime.net;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.core5.concurrent.Cancellable;

/**
 * The time left for one request, and the way to stop it early. Blocking socket I/O does not
 * notice thread interrupts, so stopping means cancelling the library request in progress, which
 * closes its socket; the worker then sees an I/O error and reports {@link #abortedAs()}.
 */
final class Deadline {
    private final long endNanos;
    private final AtomicReference<Cancellable> inProgress = new AtomicReference<>();
    private final AtomicReference<FailureKind> abortedAs = new AtomicReference<>();

    Deadline(long startNanos, long timeoutMillis) {
        this.endNanos = startNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    }

    /** Whole milliseconds left, rounded up so that a positive remainder never becomes "no timeout"; 0 when passed. */
    long remainingMillis() {
        long nanos = endNanos - System.nanoTime();
        return nanos <= 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(nanos + 999_999);
    }

    boolean passed() {
        return endNanos - System.nanoTime() <= 0;
    }

    /** Why the request was stopped ({@link FailureKind#TIMEOUT} or {@link FailureKind#UNAVAILABLE}), or null. */
    FailureKind abortedAs() {
        return abortedAs.get();
    }

    /** Stops the request; the first reason given is the one reported. */
    void abort(FailureKind why) {
        abortedAs.compareAndSet(null, why);
        Cancellable current = inProgress.get();
        if (current != null) {
            current.cancel();
        }
    }

    /** Makes {@code request} the one {@link #abort} cancels; cancels it at once if already aborted. */
    void attach(Cancellable request) {
        inProgress.set(request);
        // abort() sets the reason before reading inProgress, and this sets inProgress before reading
        // the reason, so whichever runs second sees the other: the request is always cancelled.
        if (abortedAs.get() != null) {
            request.cancel();
        }
    }

    void detach(Cancellable request) {
        inProgress.compareAndSet(request, null);
    }
}
