package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.release.RevocationList;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.LogOrigins;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Issues the signed revocation list ({@code capsule-revocations/1} in a DSSE envelope, the platform's
 * {@link SigningPurpose#REVOCATION_LIST} key): with sequence + 1 at every revocation and minimum-runtime change (in
 * that change's transaction), and again whenever the latest is {@link RevocationList#REISSUE_EVERY} old, valid for
 * {@link RevocationList#VALIDITY}. Every list is stored, so every node serves the same latest one.
 *
 * <p>Security guarantees: sequences are consecutive and never reused (issued under the release log's lock; the
 * table's primary key and append-only triggers); a list always carries every revocation and the current minimum
 * runtime (it is rebuilt from the tables, never patched); the signature is checked against the purpose's primary
 * key before the list is stored.
 */
@Component
class RevocationLists {
    private static final Logger log = LoggerFactory.getLogger(RevocationLists.class);

    private final ReleaseLog releaseLog;
    private final ReleaseStore store;
    private final PlatformSigner signer;
    private final LogOrigins origins;
    private final TransactionTemplate transactions;

    RevocationLists(ReleaseLog releaseLog, ReleaseStore store, PlatformSigner signer, LogOrigins origins, TransactionTemplate transactions) {
        this.releaseLog = releaseLog;
        this.store = store;
        this.signer = signer;
        this.origins = origins;
        this.transactions = transactions;
    }

    /** The sequence the next list will carry (call under the release log's lock). */
    long nextSequence() {
        return store.latestList().map(ReleaseStore.IssuedList::sequence).orElse(0L) + 1;
    }

    /** Issues list {@link #nextSequence()} from the tables as they are in the current transaction (taking the lock). */
    ReleaseStore.IssuedList issue() {
        releaseLog.lock();
        long sequence = nextSequence();
        if (store.revocationCount() > RevocationList.REVOKED_MAX) {
            throw new IllegalStateException("more than " + RevocationList.REVOKED_MAX + " revocations do not fit one revocation list");
        }
        Instant issued = releaseLog.now().truncatedTo(ChronoUnit.SECONDS);
        List<RevocationList.Revoked> revoked = store.revocations(RevocationList.REVOKED_MAX).stream()
                .map(r -> new RevocationList.Revoked(r.app().value(), r.version(), r.reason(), r.revokedAt().truncatedTo(ChronoUnit.SECONDS)))
                .toList();
        RevocationList list = new RevocationList(origins.releases().name(), sequence, issued, issued.plus(RevocationList.VALIDITY),
                store.minimumRuntime().map(SemanticVersion::parse), revoked);
        VerifyingKey key = signer.primary(SigningPurpose.REVOCATION_LIST).key();
        String envelope = new String(list.sign(key, message -> signer.sign(SigningPurpose.REVOCATION_LIST, message).signature()).toJson(),
                StandardCharsets.UTF_8);
        ReleaseStore.IssuedList issuedList = new ReleaseStore.IssuedList(sequence, envelope, issued);
        store.insertList(issuedList);
        return issuedList;
    }

    /** The latest list, issued first when there is none or it is {@link RevocationList#REISSUE_EVERY} old. */
    ReleaseStore.IssuedList current() {
        return store.latestList().filter(list -> !stale(list))
                .orElseGet(() -> transactions.execute(status -> {
                    releaseLog.lock();
                    // Another node may have issued one while this one waited for the lock.
                    return store.latestList().filter(list -> !stale(list)).orElseGet(this::issue);
                }));
    }

    /** Due for re-issue: {@link RevocationList#REISSUE_EVERY} old, or issued ahead of this node's clock (a clock set back). */
    private boolean stale(ReleaseStore.IssuedList list) {
        Instant now = releaseLog.now();
        return !list.issuedAt().plus(RevocationList.REISSUE_EVERY).isAfter(now) || list.issuedAt().isAfter(now.plus(ReleaseLog.CLOCK_AHEAD_MAX));
    }

    @Scheduled(initialDelay = ReleaseLog.REFRESH_CHECK_MILLIS, fixedDelay = ReleaseLog.REFRESH_CHECK_MILLIS)
    void scheduledReissue() {
        try {
            current();
        } catch (RuntimeException e) {
            log.warn("re-issuing the revocation list failed; the next run retries", e);
        }
    }
}
