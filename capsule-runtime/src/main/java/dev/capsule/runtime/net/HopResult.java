package dev.capsule.runtime.net;

/** What one request on one connection gave: a response to return, or a redirect to follow. */
sealed interface HopResult {
    record Done(HttpOutcome.Response response) implements HopResult {}

    /** A followed status (301, 302, 303, 307, 308) with exactly one Location; its body was never read. */
    record Redirect(int status, String location) implements HopResult {}
}
