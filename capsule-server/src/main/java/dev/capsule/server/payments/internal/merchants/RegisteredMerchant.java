package dev.capsule.server.payments.internal.merchants;

import java.time.Instant;
import java.util.Objects;

/** A merchant with who registered it and when (for operators' lists). */
record RegisteredMerchant(Merchant merchant, String createdBy, Instant createdAt) {
    RegisteredMerchant {
        Objects.requireNonNull(merchant, "merchant");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
