package dev.capsule.server.host.internal;

import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.PlacedUsers;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.SubjectPlacements;
import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The region each end user's data is placed in (docs/residency.md): a {@code host_placements} row in that region's
 * database, written at the user's first sign-in. Every store of the host keeps a user's data in the database this
 * answers ({@link #databaseOf}), and so does the privacy module (as {@link SubjectPlacements}).
 *
 * <p>Security guarantees: a user is placed in one region at a time: {@link #place} checks every region's database and
 * writes under a transaction-scoped advisory lock on the user held in the home database, so two sign-ins naming two
 * regions at once place the user once and refuse the other; a placement elsewhere is refused with a
 * {@link ProblemType#RESIDENCY} problem that does not say which region holds the user (a super-app backend learns
 * nothing about another tenant's users). A user never placed (who has no data) is in the home region. A lookup reads at
 * most one row per region ({@link Residency#REGIONS_MAX}).
 */
@Component
class Placements implements SubjectPlacements, PlacedUsers {
    private final Residency residency;
    private final ApplicationEventPublisher events;

    Placements(Residency residency, ApplicationEventPublisher events) {
        this.residency = residency;
        this.events = events;
    }

    /** The region {@code user} is placed in; empty when never placed (or erased). */
    Optional<RegionId> regionOf(ShellUserId user) {
        Objects.requireNonNull(user, "user");
        for (RegionalDatabase db : residency.databases()) {
            if (db.jdbc().sql("SELECT EXISTS (SELECT 1 FROM host_placements WHERE user_id = :u)").param("u", user.value())
                    .query(Boolean.class).single()) {
                return Optional.of(db.region());
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<RegionId> regionOf(DataSubject subject) {
        return regionOf(new ShellUserId(subject.userId()));
    }

    @Override
    public long placedIn(RegionId region) {
        return residency.database(region).jdbc().sql("SELECT count(*) FROM host_placements").query(Long.class).single();
    }

    /** The database that holds {@code user}'s data: their region's, or the home region's for a user never placed. */
    RegionalDatabase databaseOf(ShellUserId user) {
        return residency.database(regionOf(user).orElse(residency.home()));
    }

    /**
     * Refuses {@code who} a payment feature unless their data is placed in the home region: payments (cards, payer
     * step-up, payment records, the ledger) are kept in the home region's database only, so a person of another region
     * cannot use them rather than have them stored outside their region.
     *
     * @throws ProblemException {@link ProblemType#RESIDENCY} for a person of another region
     */
    void requireHomeForPayments(ShellPrincipal who) {
        if (refusePayments(who, Optional.empty())) {
            throw new ProblemException(ProblemType.RESIDENCY, "payments are kept in the home region's database and your data is"
                    + " placed in the region " + who.region() + ", so payments are not available to you here (docs/residency.md)");
        }
    }

    /**
     * Whether payments are refused to {@code who} (see {@link #requireHomeForPayments}); a refusal is audited
     * ({@code residency.refuse}, reason {@code payments}).
     */
    boolean refusePayments(ShellPrincipal who, Optional<MiniProgramId> app) {
        if (paymentsAllowed(who)) {
            return false;
        }
        events.publishEvent(new HostEvent(HostEvent.What.RESIDENCY_REFUSE, "denied", app, Optional.of(who.user()), Optional.of("payments")));
        return true;
    }

    /** Whether {@code who} may use payments, for what a page shows (nothing refused, nothing audited). */
    boolean paymentsAllowed(ShellPrincipal who) {
        return residency.isHome(who.region());
    }

    /**
     * Places {@code user} in {@code region} unless they already are (idempotent), and returns that region's database.
     *
     * @throws ProblemException {@link ProblemType#RESIDENCY} when the installation has no such region, or the user's
     *                          data is placed in another region
     */
    RegionalDatabase place(ShellUserId user, RegionId region) {
        RegionalDatabase target = residency.database(region);
        RegionalDatabase home = residency.database(residency.home());
        return home.transactions().execute(status -> {
            home.jdbc().sql("SELECT pg_advisory_xact_lock(hashtextextended('capsule.host.placement/1\n' || :u, 0))")
                    .param("u", user.value()).query((rs, n) -> 1).single();
            Optional<RegionId> placed = regionOf(user);
            if (placed.isPresent() && !placed.get().equals(region)) {
                throw new ProblemException(ProblemType.RESIDENCY, "this user's data is placed in another region; a person's data"
                        + " stays in the region where it was first placed (docs/residency.md)");
            }
            if (placed.isEmpty()) {
                target.jdbc().sql("INSERT INTO host_placements (user_id) VALUES (:u) ON CONFLICT DO NOTHING").param("u", user.value())
                        .update();
            }
            return target;
        });
    }
}
