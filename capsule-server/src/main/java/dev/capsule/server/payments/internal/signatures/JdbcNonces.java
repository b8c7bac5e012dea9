package dev.capsule.server.payments.internal.signatures;

import dev.capsule.server.payments.internal.Nonces;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link Nonces} on the {@code payments_nonce} table (V94): one {@code INSERT … ON CONFLICT} statement, so two
 * nodes racing with the same nonce are ordered by PostgreSQL's unique index and exactly one of them wins.
 *
 * <p>Security guarantees: as {@link Nonces}; a nonce is reusable only once its row has expired by the database's
 * clock (one clock for every node); scope and nonce are bounded, printable ASCII, or refused.
 */
@Component
class JdbcNonces implements Nonces {
    /** Longest scope (a merchant key id is 29 characters). */
    static final int SCOPE_CHARS_MAX = 128;

    private final JdbcClient jdbc;

    JdbcNonces(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean firstUse(String scope, String nonce, Instant expiresAt) {
        requireText(scope, SCOPE_CHARS_MAX, "scope");
        requireText(nonce, NONCE_CHARS_MAX, "nonce");
        Objects.requireNonNull(expiresAt, "expiresAt");
        // Inserted, or an expired row taken over: a row comes back. A live row: the update's WHERE fails, none does.
        return jdbc.sql("""
                        INSERT INTO payments_nonce (scope, nonce, expires_at) VALUES (:scope, :nonce, :expires)
                        ON CONFLICT (scope, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
                        WHERE payments_nonce.expires_at <= clock_timestamp()
                        RETURNING 1""")
                .param("scope", scope)
                .param("nonce", nonce)
                .param("expires", OffsetDateTime.ofInstant(expiresAt, ZoneOffset.UTC))
                .query(Integer.class)
                .optional()
                .isPresent();
    }

    static boolean isValidNonce(String nonce) {
        return nonce != null && !nonce.isEmpty() && nonce.length() <= NONCE_CHARS_MAX
                && nonce.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static void requireText(String text, int charsMax, String what) {
        if (text == null || text.isEmpty() || text.length() > charsMax || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("a " + what + " is 1 to " + charsMax + " printable ASCII characters without spaces");
        }
    }
}
