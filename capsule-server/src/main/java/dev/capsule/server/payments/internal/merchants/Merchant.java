package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import java.util.Objects;
import java.util.Set;

/**
 * A registered merchant: the backend of some of one developer organisation's mini-programs.
 *
 * @param verifiedName the name the payment sheet shows: the organisation's verified name at registration (never text
 *                     the merchant sends with a request)
 * @param apps         the mini-programs whose payments it takes; an intent names one of them
 * @param enabled      a disabled merchant's signatures are refused and its intents cannot be paid
 */
public record Merchant(MerchantId id, OrganisationId organisation, String verifiedName, Set<MiniProgramId> apps, boolean enabled) {
    public Merchant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(verifiedName, "verifiedName");
        apps = Set.copyOf(apps);
    }
}
