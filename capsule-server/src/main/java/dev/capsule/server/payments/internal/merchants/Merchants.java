package dev.capsule.server.payments.internal.merchants;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.access.Caller;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.VerifiedOrganisations;
import dev.capsule.server.registry.VerifiedOrganisations.VerifiedOrganisation;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Registering merchants and managing their keys (operators with {@code payments.manage}; docs/payments.md,
 * "Merchants"). Each change publishes a {@link PaymentEvent} in its transaction; each refusal publishes a
 * {@code denied} one (after the refused change rolled back) naming the problem type.
 *
 * <p>Security guarantees: a merchant is registered only for an organisation the registry answers as verified, and
 * only for mini-program ids registered to that organisation, each paid through one merchant (primary key); its
 * verified name is the organisation's, never text from the request. An Ed25519 public key belongs to one merchant,
 * once (a revoked key cannot come back, nor be registered to another merchant). An HMAC secret is 32 bytes from
 * {@link SecureRandom}, sealed with {@code merchant-secrets} at {@link MerchantKey#secretPlace} before it is stored,
 * and returned to the caller once; it is never logged. Revocation and disabling are final for the next request
 * (nothing is cached: {@link MerchantDirectory} reads the tables).
 */
@Service
class Merchants {
    /** Mini-programs one merchant takes payments for. */
    static final int APPS_PER_MERCHANT_MAX = 100;
    /** Merchants one organisation may have. */
    static final int MERCHANTS_PER_ORGANISATION_MAX = 20;
    /** Active (not revoked) keys per merchant: enough to rotate, few enough to review. */
    static final int ACTIVE_KEYS_MAX = 10;
    /** Longest PEM text accepted for an Ed25519 public key. */
    static final int PEM_CHARS_MAX = 1_000;
    /** Bytes of a generated HMAC-SHA256 secret (the hash's block-size-independent minimum recommended by RFC 2104). */
    static final int HMAC_SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MerchantStore store;
    private final VerifiedOrganisations organisations;
    private final FieldEncryption encryption;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;
    private final Clock clock = Clock.systemUTC();

    Merchants(MerchantStore store, VerifiedOrganisations organisations, FieldEncryption encryption,
            ApplicationEventPublisher events, PlatformTransactionManager transactionManager) {
        this.store = store;
        this.organisations = organisations;
        this.encryption = encryption;
        this.events = events;
        this.transactions = new TransactionTemplate(transactionManager);
    }

    /** A new HMAC key and its secret (standard base64), to be shown once. {@code toString} redacts the secret. */
    record GeneratedHmacKey(MerchantKeyInfo key, String secretBase64) {
        @Override
        public String toString() {
            return "GeneratedHmacKey[" + key.id() + ", secret redacted]";
        }
    }

    RegisteredMerchant register(Caller.Operator actor, OrganisationId organisation, List<String> appIds) {
        return audited(actor, PaymentEvent.What.MERCHANT_REGISTER, Optional.empty(), () -> {
            Set<MiniProgramId> apps = apps(appIds);
            VerifiedOrganisation verified = organisations.verified(organisation).orElseThrow(() -> new ProblemException(
                    MerchantProblems.ORGANISATION_NOT_VERIFIED, "organisation " + organisation
                            + " is not a verified developer organisation (register and verify it in the registry first)"));
            for (MiniProgramId app : apps) {
                if (!verified.apps().contains(app)) {
                    throw new ProblemException(MerchantProblems.APP_NOT_THE_ORGANISATIONS, "mini-program " + app
                            + " is not registered to organisation " + organisation, Map.of("appId", app.value()));
                }
                Optional<MerchantId> taken = store.merchantOf(app);
                if (taken.isPresent()) {
                    throw new ProblemException(MerchantProblems.APP_TAKEN, "mini-program " + app + " is paid through merchant "
                            + taken.get() + " already", Map.of("appId", app.value()));
                }
            }
            if (store.countFor(organisation) >= MERCHANTS_PER_ORGANISATION_MAX) {
                throw new ProblemException(MerchantProblems.LIMIT_REACHED, "an organisation has at most "
                        + MERCHANTS_PER_ORGANISATION_MAX + " merchants");
            }
            MerchantId id = MerchantId.random();
            try {
                store.insert(id, organisation, verified.verifiedName(), apps, actor.actorId(), now());
            } catch (DuplicateKeyException raced) {
                throw new ProblemException(MerchantProblems.APP_TAKEN, "a mini-program named was given a merchant meanwhile");
            }
            events.publishEvent(event(actor, PaymentEvent.What.MERCHANT_REGISTER, id, Optional.empty(),
                    "organisation " + organisation + "; apps " + apps.stream().map(MiniProgramId::value).collect(Collectors.joining(", "))));
            return store.find(id).orElseThrow();
        });
    }

    MerchantKeyInfo addEd25519Key(Caller.Operator actor, MerchantId id, String publicKeyPem) {
        return audited(actor, PaymentEvent.What.MERCHANT_KEY_ADD, Optional.of(id), () -> {
            VerifyingKey key = ed25519(publicKeyPem);
            lockForNewKey(id);
            byte[] raw = key.raw();
            if (store.publicKeyKnown(raw)) {
                throw new ProblemException(MerchantProblems.KEY_EXISTS,
                        "this public key is registered already (a key belongs to one merchant; a revoked key cannot come back)");
            }
            MerchantKeyId keyId = MerchantKeyId.random();
            try {
                store.insertEd25519Key(keyId, id, raw, actor.actorId(), now());
            } catch (DuplicateKeyException raced) {
                throw new ProblemException(MerchantProblems.KEY_EXISTS, "this public key was registered meanwhile");
            }
            events.publishEvent(event(actor, PaymentEvent.What.MERCHANT_KEY_ADD, id, Optional.of(keyId.value()), "ed25519"));
            return store.key(id, keyId).orElseThrow();
        });
    }

    GeneratedHmacKey generateHmacKey(Caller.Operator actor, MerchantId id) {
        return audited(actor, PaymentEvent.What.MERCHANT_KEY_ADD, Optional.of(id), () -> {
            lockForNewKey(id);
            MerchantKeyId keyId = MerchantKeyId.random();
            byte[] secret = new byte[HMAC_SECRET_BYTES];
            RANDOM.nextBytes(secret);
            try {
                store.insertHmacKey(keyId, id, encryption.seal(DataPurpose.MERCHANT_SECRETS, secret, MerchantKey.secretPlace(keyId)),
                        actor.actorId(), now());
                events.publishEvent(event(actor, PaymentEvent.What.MERCHANT_KEY_ADD, id, Optional.of(keyId.value()), "hmac-sha256"));
                return new GeneratedHmacKey(store.key(id, keyId).orElseThrow(), Base64.getEncoder().encodeToString(secret));
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        });
    }

    MerchantKeyInfo revokeKey(Caller.Operator actor, MerchantId id, MerchantKeyId keyId) {
        return audited(actor, PaymentEvent.What.MERCHANT_KEY_REVOKE, Optional.of(id), () -> {
            existingLocked(id);
            MerchantKeyInfo key = store.key(id, keyId).orElseThrow(() ->
                    new ProblemException(ProblemType.NOT_FOUND, "merchant " + id + " has no key " + keyId));
            if (key.revoked() || !store.revokeKey(id, keyId, actor.actorId(), now())) {
                throw new ProblemException(MerchantProblems.KEY_REVOKED, "key " + keyId + " is revoked already");
            }
            events.publishEvent(event(actor, PaymentEvent.What.MERCHANT_KEY_REVOKE, id, Optional.of(keyId.value()), key.algorithm()));
            return store.key(id, keyId).orElseThrow();
        });
    }

    RegisteredMerchant setEnabled(Caller.Operator actor, MerchantId id, boolean enabled) {
        return audited(actor, PaymentEvent.What.MERCHANT_STATE, Optional.of(id), () -> {
            existingLocked(id);
            if (!store.setEnabled(id, enabled)) {
                throw new ProblemException(MerchantProblems.STATE_UNCHANGED, "merchant " + id + " is "
                        + (enabled ? "enabled" : "disabled") + " already");
            }
            events.publishEvent(event(actor, PaymentEvent.What.MERCHANT_STATE, id, Optional.empty(),
                    enabled ? "enabled" : "disabled"));
            return store.find(id).orElseThrow();
        });
    }

    RegisteredMerchant existing(MerchantId id) {
        return store.find(id).orElseThrow(() -> notFound(id));
    }

    List<RegisteredMerchant> list() {
        return store.list();
    }

    List<MerchantKeyInfo> keys(MerchantId id) {
        return store.keys(id);
    }

    /** The organisations a merchant may be registered for (for the console's form). */
    List<VerifiedOrganisation> verifiedOrganisations() {
        return organisations.allVerified();
    }

    /**
     * Runs {@code change} in a transaction; if it is refused, the change rolls back and a {@code denied} event naming
     * the problem type is published on its own (so the refusal is audited although the change left nothing).
     */
    private <T> T audited(Caller.Operator actor, PaymentEvent.What kind, Optional<MerchantId> merchant, Supplier<T> change) {
        try {
            return transactions.execute(status -> change.get());
        } catch (ProblemException refused) {
            events.publishEvent(new PaymentEvent(kind, "denied", merchant, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(refused.type().slug()), Optional.of(actor.actorId())));
            throw refused;
        }
    }

    private void lockForNewKey(MerchantId id) {
        existingLocked(id);
        if (store.countKeys(id, true) >= ACTIVE_KEYS_MAX) {
            throw new ProblemException(MerchantProblems.LIMIT_REACHED, "a merchant has at most " + ACTIVE_KEYS_MAX
                    + " active keys; revoke one first");
        }
        if (store.countKeys(id, false) >= MerchantStore.KEYS_PER_MERCHANT_MAX) {
            throw new ProblemException(MerchantProblems.LIMIT_REACHED, "a merchant has at most "
                    + MerchantStore.KEYS_PER_MERCHANT_MAX + " keys in all, revoked ones included");
        }
    }

    private RegisteredMerchant existingLocked(MerchantId id) {
        return store.lock(id).orElseThrow(() -> notFound(id));
    }

    private static ProblemException notFound(MerchantId id) {
        return new ProblemException(ProblemType.NOT_FOUND, "there is no merchant " + id);
    }

    private static Set<MiniProgramId> apps(List<String> appIds) {
        if (appIds == null || appIds.isEmpty() || appIds.size() > APPS_PER_MERCHANT_MAX) {
            throw invalid("apps", "must name 1 to " + APPS_PER_MERCHANT_MAX + " mini-program ids");
        }
        Set<MiniProgramId> apps = new LinkedHashSet<>();
        for (String appId : appIds) {
            apps.add(MiniProgramId.parse(appId).orElseThrow(() ->
                    invalid("apps", "must be app ids: reverse-DNS in lower case, like com.example.todo")));
        }
        return apps;
    }

    private static VerifyingKey ed25519(String pem) {
        try {
            if (pem == null || pem.isBlank() || pem.length() > PEM_CHARS_MAX) {
                throw new KeyFormatException("an Ed25519 public key in PEM of at most " + PEM_CHARS_MAX + " characters is needed");
            }
            return VerifyingKey.fromPem(pem);
        } catch (KeyFormatException e) {
            throw invalid("publicKeyPem", e.getMessage());
        }
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    private static PaymentEvent event(Caller.Operator actor, PaymentEvent.What kind, MerchantId merchant, Optional<String> subject,
            String detail) {
        return new PaymentEvent(kind, "success", Optional.of(merchant), Optional.empty(), Optional.empty(), subject,
                Optional.of(detail), Optional.of(actor.actorId()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
