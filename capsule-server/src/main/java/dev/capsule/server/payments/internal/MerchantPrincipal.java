package dev.capsule.server.payments.internal;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import java.util.Objects;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The merchant a {@code /merchant/v1/**} request is from: set as the authentication's principal by the signature
 * filter ({@code signatures.MerchantSignatureFilter}) after the request's RFC 9421 signature, its content digest,
 * its time window and its nonce all verified. Controllers of merchant endpoints read it with {@link #current()}.
 */
public record MerchantPrincipal(MerchantId merchant, MerchantKeyId key) {
    /** The actor id audit entries and idempotency records use for a merchant ("merchant:mch_…"). */
    public static final String ACTOR_PREFIX = "merchant:";

    public MerchantPrincipal {
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(key, "key");
    }

    /** The verified merchant of the current request; fails (never guesses) when the request was not signed. */
    public static MerchantPrincipal current() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.isAuthenticated()
                && authentication.getPrincipal() instanceof MerchantPrincipal principal) {
            return principal;
        }
        throw new IllegalStateException("no verified merchant signature on this request");
    }
}
