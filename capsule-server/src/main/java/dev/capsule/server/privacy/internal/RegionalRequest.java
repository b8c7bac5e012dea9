package dev.capsule.server.privacy.internal;

import dev.capsule.server.platform.RegionId;
import dev.capsule.server.privacy.PrivacyRequest;
import java.util.Comparator;
import java.util.Objects;

/** A request and the region whose database holds it: what operators see (the API, the console). */
record RegionalRequest(RegionId region, PrivacyRequest request) {
    /**
     * Newest first, as every region's database orders its page ({@code received_at DESC, id DESC}: PostgreSQL compares
     * UUIDs byte by byte, that is as two unsigned longs), so pages of several regions merge into one order.
     */
    static final Comparator<RegionalRequest> NEWEST_FIRST = Comparator
            .comparing((RegionalRequest r) -> r.request().receivedAt())
            .thenComparing(r -> r.request().id().value().getMostSignificantBits(), Long::compareUnsigned)
            .thenComparing(r -> r.request().id().value().getLeastSignificantBits(), Long::compareUnsigned)
            .reversed();

    RegionalRequest {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(request, "request");
    }
}
