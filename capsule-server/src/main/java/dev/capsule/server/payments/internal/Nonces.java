package dev.capsule.server.payments.internal;

import java.time.Instant;

/**
 * Single use of a nonce within its window, across every server node (the database, never memory): the one replay
 * store of the payments module (signed merchant requests; anything else that needs "at most once per nonce").
 *
 * <p>Security guarantees: for one ({@code scope}, {@code nonce}) at most one call returns true until {@code expiresAt}
 * has passed, whatever the concurrency and the number of nodes; expired nonces are removed in bounded batches.
 */
public interface Nonces {
    /** Longest nonce accepted. */
    int NONCE_CHARS_MAX = 128;

    /**
     * Records the nonce; true the first time, false when it was already used and has not expired.
     *
     * @param scope     whose nonce it is (a merchant key id), so one merchant cannot burn another's nonces
     * @param expiresAt when the nonce may be forgotten: the end of the window its message is valid in
     */
    boolean firstUse(String scope, String nonce, Instant expiresAt);
}
