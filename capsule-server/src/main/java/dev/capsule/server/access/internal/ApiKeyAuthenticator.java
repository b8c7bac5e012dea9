package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.ApiKeyEvent;
import dev.capsule.server.access.Permission;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Checks a presented API key against the database, on every request (so a revocation on one node
 * holds on all of them at once), and charges the key's rate limit in the same statement
 * ({@link ApiKeyCheck}).
 *
 * <p>Security guarantees: the secret's hash is compared here in constant time, before the key's
 * state is looked at, and that comparison decides (the equality in SQL only keeps a wrong secret off
 * the key's bucket); the key's state is judged by the database's clock, the same instant at which the
 * statement decided whether to charge it; every refusal looks the same to the client (the caller
 * stays anonymous and gets the usual 401); a key whose stored scope holds an unknown or operator-only
 * permission is refused rather than trimmed; refusals of existing keys are reported to
 * an {@link ApiKeyEvent.Refused} event.
 */
@Component
class ApiKeyAuthenticator {
    private static final Logger log = LoggerFactory.getLogger(ApiKeyAuthenticator.class);

    private final ApiKeyCheck check;
    private final ApplicationEventPublisher events;
    private final ApiKeyService service;
    private final MeterRegistry meters;

    ApiKeyAuthenticator(ApiKeyCheck check, ApplicationEventPublisher events, ApiKeyService service, MeterRegistry meters) {
        this.check = check;
        this.events = events;
        this.service = service;
        this.meters = meters;
    }

    /** A key that authenticated: the caller it stands for and what taking a token from its bucket gave. */
    record Authenticated(Caller.Machine machine, RateLimiter.Decision rateLimit) {
    }

    Optional<Authenticated> authenticate(ApiKeyToken token, String clientAddress) {
        Optional<ApiKeyCheck.Checked> found = check.check(token.keyId(), token.hash());
        if (found.isEmpty()) {
            count("unknown-key");
            return Optional.empty();
        }
        StoredKey key = found.get().key();
        Instant now = service.now();
        ApiKeyEvent.Refusal refusal = null;
        if (!token.matches(key.secretSha256())) {
            refusal = ApiKeyEvent.Refusal.WRONG_SECRET;
        } else {
            refusal = switch (key.status(found.get().checkedAt())) {
                case ACTIVE -> null;
                case PENDING -> ApiKeyEvent.Refusal.NOT_APPROVED;
                case REVOKED -> ApiKeyEvent.Refusal.REVOKED;
                case EXPIRED -> ApiKeyEvent.Refusal.EXPIRED;
            };
        }
        if (refusal != null) {
            count(refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            events.publishEvent(new ApiKeyEvent.Refused(key.keyId(), refusal, clientAddress, now));
            return Optional.empty();
        }
        EnumSet<Permission> scope = EnumSet.noneOf(Permission.class);
        for (String code : key.permissionCodes()) {
            Optional<Permission> permission = Permission.fromCode(code).filter(Permission::machineGrantable);
            if (permission.isEmpty()) {
                log.error("API key {} is refused: its stored scope holds '{}', which no API key may hold", key.keyId(),
                        code.replaceAll("\\p{Cntrl}", "?"));
                count("invalid-scope");
                return Optional.empty();
            }
            scope.add(permission.get());
        }
        // The statement charges exactly the keys found active with an equal hash, so a key that got
        // here was charged; anything else is a broken invariant, not a caller's fault.
        RateLimiter.Decision rateLimit = found.get().bucket().orElseThrow(() -> new IllegalStateException(
                "API key " + key.keyId() + " authenticated but its bucket was not charged"));
        count("authenticated");
        return Optional.of(new Authenticated(new Caller.Machine(key.keyId(), key.name(), scope,
                Optional.ofNullable(key.organisation())), rateLimit));
    }

    private void count(String outcome) {
        Counter.builder("capsule.apikey.authentications")
                .description("API key checks by outcome")
                .tag("outcome", outcome)
                .register(meters)
                .increment();
    }
}
