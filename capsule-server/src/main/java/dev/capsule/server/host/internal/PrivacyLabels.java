package dev.capsule.server.host.internal;

import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.registry.MiniProgramId;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The privacy label of the release a user would launch ({@link #labelFor}), and which label each user continued past ({@code host_privacy_labels}, V111): per mini-program and user, the
 * version of the privacy text ({@link PrivacyDigest}) last continued past. The user is stored as the pairwise id the
 * mini-program's sessions see ({@link PairwiseIds}), as in the consent ledger.
 *
 * <p>Security guarantees: a label counts as seen only for exactly the digest that was continued past, so a release
 * whose privacy text changed (another digest) shows the label again; one row per (mini-program, user), replaced on
 * continuing, so the table is bounded by users × mini-programs. Kept in the database of the user's region.
 */
@Component
class PrivacyLabels {
    private final Residency residency;
    private final PairwiseIds pairwise;
    private final ObjectProvider<LaunchSource> sources;
    private final Clock clock = Clock.systemUTC();

    PrivacyLabels(Residency residency, PairwiseIds pairwise, ObjectProvider<LaunchSource> sources) {
        this.residency = residency;
        this.pairwise = pairwise;
        this.sources = sources;
    }

    /**
     * The label of the release {@code who} would launch now: the plan of the first source that knows the app, as a
     * launch takes it (a verified release, the user's rollout version). Empty when no source knows the app, when the
     * launch would be refused (the session then says why), and for the development preview (an unsigned directory on
     * the developer's own machine: no release, no label).
     */
    Optional<PrivacyLabel> labelFor(ShellPrincipal who, MiniProgramId app) {
        for (LaunchSource source : (Iterable<LaunchSource>) sources.orderedStream()::iterator) {
            Optional<LaunchPlan> plan;
            try {
                plan = source.plan(who, app);
            } catch (LaunchSource.LaunchRefusal refusal) {
                return Optional.empty();
            }
            if (plan.isPresent()) {
                return switch (plan.get()) {
                    case LaunchPlan.Released released -> Optional.of(PrivacyLabel.of(released.entry(), released.release().pkg().manifest()));
                    case LaunchPlan.Preview preview -> Optional.empty();
                };
            }
        }
        return Optional.empty();
    }

    /** When {@code user} continued past {@code app}'s label of this privacy text; empty if never (or for another text). */
    Optional<Instant> seen(MiniProgramId app, ShellPrincipal who, PrivacyDigest digest) {
        ShellUserId user = who.user();
        return residency.database(who.region()).jdbc().sql("SELECT seen_at FROM host_privacy_labels WHERE app_id = ? AND user_id = ? AND privacy_digest = ?")
                .params(app.value(), pairwise.runtimeUserId(app, user), digest.hex())
                .query((row, n) -> row.getTimestamp(1).toInstant()).optional();
    }

    /** Records that {@code user} continued past {@code app}'s label of this privacy text (replacing an earlier text's). */
    void continued(MiniProgramId app, ShellPrincipal who, PrivacyDigest digest) {
        ShellUserId user = who.user();
        residency.database(who.region()).jdbc().sql("INSERT INTO host_privacy_labels (app_id, user_id, privacy_digest, seen_at) VALUES (?, ?, ?, ?) "
                        + "ON CONFLICT (app_id, user_id) DO UPDATE SET privacy_digest = EXCLUDED.privacy_digest, seen_at = EXCLUDED.seen_at")
                .params(app.value(), pairwise.runtimeUserId(app, user), digest.hex(), Timestamp.from(clock.instant()))
                .update();
    }
}
