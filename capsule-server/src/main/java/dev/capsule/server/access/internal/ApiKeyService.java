package dev.capsule.server.access.internal;

import dev.capsule.server.access.AccessProblems;
import dev.capsule.server.access.Caller;
import dev.capsule.server.access.ApiKeyEvent;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.OrganisationBinding;
import dev.capsule.server.access.OrganisationDirectory;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.SeparationOfDuties;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The API key lifecycle: create (pending), approve (by another operator: active), revoke. Every change
 * is published as an {@link ApiKeyEvent} inside its transaction (the audit module writes it to the log there).
 *
 * <p>Security guarantees: a key never carries an operator-only permission; it works only after a
 * second operator approved it ({@link SeparationOfDuties}, and a CHECK in the table); it always
 * expires, within {@link #EXPIRES_IN_DAYS_MAX} days; the token exists in memory only until the
 * creation response is written; revocation takes effect on every node at the next request (nothing
 * about keys is cached).
 */
@Service
class ApiKeyService {
    static final int EXPIRES_IN_DAYS_MAX = 365;
    /** Characters of a key's name at most. */
    static final int NAME_CHARS_MAX = 100;
    /** Keys neither revoked nor expired, per installation. */
    static final int KEYS_LIVE_MAX = 1_000;
    static final int PAGE_SIZE_MAX = 200;
    static final int PAGE_SIZE_DEFAULT = 50;
    static final int PERMISSIONS_MAX = Permission.values().length;

    private final ApiKeyStore store;
    private final ApplicationEventPublisher events;
    private final RateLimitSettings limits;
    private final Clock clock;

    private final ObjectProvider<OrganisationDirectory> organisations;

    ApiKeyService(ApiKeyStore store, ApplicationEventPublisher events, RateLimitSettings limits,
            ObjectProvider<OrganisationDirectory> organisations) {
        this.store = store;
        this.organisations = organisations;
        this.events = events;
        this.limits = limits;
        this.clock = Clock.systemUTC();
    }

    /**
     * What an operator asks for (the API's JSON body or the console's form); null limits take the defaults. The
     * name is checked here, for every caller; the permissions, expiry and limits by {@link #create}.
     */
    record NewKey(String name, List<String> permissions, int expiresInDays, Integer burstRequests, Integer refillPerMinute,
                  OrganisationBinding organisation) {
        NewKey {
            if (name == null || name.isBlank() || name.length() > NAME_CHARS_MAX || name.chars().anyMatch(Character::isISOControl)) {
                throw invalid("name", "must be 1 to " + NAME_CHARS_MAX + " characters, not all blank, without control characters");
            }
            permissions = List.copyOf(java.util.Objects.requireNonNull(permissions, "permissions"));
        }
    }

    /**
     * What a key bound to a developer organisation may hold: submitting (and reading) packages, nothing
     * else, so a developer's credential never reaches platform data.
     */
    static final Set<Permission> ORGANISATION_SCOPE = EnumSet.of(Permission.PACKAGES_SUBMIT, Permission.PACKAGES_READ);

    /** A created key: its view, and the token, which is shown this once. */
    record CreatedKey(StoredKey key, ApiKeyToken token) {
    }

    @Transactional
    CreatedKey create(Caller.Operator creator, NewKey request) {
        OperatorId actor = operatorId(creator);
        Set<Permission> scope = scope(request.permissions());
        BucketPolicy rateLimit = rateLimit(request);
        requireBindingFits(scope, request.organisation());
        if (request.expiresInDays() < 1 || request.expiresInDays() > EXPIRES_IN_DAYS_MAX) {
            throw invalid("expiresInDays", "must be from 1 to " + EXPIRES_IN_DAYS_MAX);
        }
        Instant now = now();
        if (store.countLive(now) >= KEYS_LIVE_MAX) {
            throw new ProblemException(AccessProblems.API_KEY_LIMIT, "this installation already has " + KEYS_LIVE_MAX
                    + " API keys that are neither revoked nor expired; revoke unused ones first", Map.of("limit", KEYS_LIVE_MAX));
        }
        ApiKeyToken token = ApiKeyToken.generate();
        StoredKey key = new StoredKey(token.keyId(), request.name(), token.hash(),
                scope.stream().map(Permission::code).toList(), rateLimit, creator.actorId(), now,
                now.plus(Duration.ofDays(request.expiresInDays())), null, null, null, null, null, request.organisation());
        store.insert(key);
        events.publishEvent(new ApiKeyEvent.Created(key.keyId(), key.name(), scope, key.expiresAt(), actor, now,
                java.util.Optional.ofNullable(request.organisation())));
        return new CreatedKey(key, token);
    }

    @Transactional
    StoredKey approve(Caller.Operator approver, String keyId) {
        OperatorId actor = operatorId(approver);
        StoredKey key = existing(keyId);
        Instant now = now();
        if (key.status(now) != StoredKey.Status.PENDING) {
            throw new ProblemException(AccessProblems.API_KEY_STATE, "API key " + keyId + " is " + key.status(now).code()
                    + "; only a pending key can be approved", Map.of("keyStatus", key.status(now).code()));
        }
        SeparationOfDuties.requireDifferentActor(key.createdBy(), approver.actorId(), "approve API key " + keyId);
        if (!store.approve(keyId, approver.actorId(), now)) {
            throw new ProblemException(AccessProblems.API_KEY_STATE, "API key " + keyId + " changed meanwhile; read it again");
        }
        events.publishEvent(new ApiKeyEvent.Approved(keyId, actor, now));
        return existing(keyId);
    }

    @Transactional
    StoredKey revoke(Caller.Operator revoker, String keyId) {
        OperatorId actor = operatorId(revoker);
        StoredKey key = existing(keyId);
        Instant now = now();
        if (key.revokedAt() != null || !store.revoke(keyId, revoker.actorId(), now)) {
            throw new ProblemException(AccessProblems.API_KEY_STATE, "API key " + keyId + " is already revoked",
                    Map.of("keyStatus", StoredKey.Status.REVOKED.code()));
        }
        events.publishEvent(new ApiKeyEvent.Revoked(keyId, actor, now));
        return existing(keyId);
    }

    /**
     * A key bound to a developer organisation holds nothing but {@link #ORGANISATION_SCOPE}, and the
     * organisation exists: the registry then limits it to that organisation's mini-programs (and refuses
     * uploads from a key bound to none). Without the registry's {@link OrganisationDirectory} no binding is
     * accepted.
     */
    private void requireBindingFits(Set<Permission> scope, OrganisationBinding organisation) {
        if (organisation == null) {
            return;
        }
        if (!ORGANISATION_SCOPE.containsAll(scope)) {
            throw invalid("permissions", "a key bound to a developer organisation may hold only "
                    + ORGANISATION_SCOPE.stream().map(Permission::code).toList());
        }
        OrganisationDirectory directory = organisations.getIfAvailable();
        if (directory == null || !directory.isRegistered(organisation)) {
            throw invalid("organisation", "is not a registered developer organisation");
        }
    }

    StoredKey get(String keyId) {
        return existing(keyId);
    }

    List<StoredKey> page(Optional<String> after, Optional<Integer> limit) {
        int size = limit.orElse(PAGE_SIZE_DEFAULT);
        if (size < 1 || size > PAGE_SIZE_MAX) {
            throw invalid("limit", "must be from 1 to " + PAGE_SIZE_MAX);
        }
        if (after.isPresent() && store.find(after.get()).isEmpty()) {
            throw invalid("after", "is not the id of an API key");
        }
        return store.page(after, size);
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Only an operator with a stable id can be named in the audit log as having changed a key. */
    private static OperatorId operatorId(Caller.Operator operator) {
        return operator.operatorId().orElseThrow(() -> new ProblemException(ProblemType.FORBIDDEN,
                "only an operator signed in with a stable id may manage API keys (the change could not be audited)"));
    }

    private StoredKey existing(String keyId) {
        return store.find(keyId).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no API key " + keyId));
    }

    private static Set<Permission> scope(List<String> codes) {
        if (codes.isEmpty() || codes.size() > PERMISSIONS_MAX) {
            throw invalid("permissions", "must name from 1 to " + PERMISSIONS_MAX + " permissions");
        }
        EnumSet<Permission> scope = EnumSet.noneOf(Permission.class);
        List<Map<String, String>> errors = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            String code = codes.get(i);
            String field = "permissions[" + i + "]";
            Optional<Permission> permission = Permission.fromCode(code);
            if (permission.isEmpty()) {
                errors.add(Map.of("field", field, "message", "there is no permission '" + safe(code) + "'"));
            } else if (!permission.get().machineGrantable()) {
                errors.add(Map.of("field", field, "message", "'" + code + "' is for operators only; an API key may hold "
                        + Permission.grantableToMachines().stream().map(Permission::code).toList()));
            } else if (!scope.add(permission.get())) {
                errors.add(Map.of("field", field, "message", "'" + code + "' is listed twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION,
                    errors.size() == 1 ? "1 field is invalid" : errors.size() + " fields are invalid", Map.of("errors", errors));
        }
        return scope;
    }

    private BucketPolicy rateLimit(NewKey request) {
        int burst = request.burstRequests() == null ? limits.keyBurstRequests() : request.burstRequests();
        int refill = request.refillPerMinute() == null ? limits.keyRefillPerMinute() : request.refillPerMinute();
        try {
            return new BucketPolicy(burst, refill);
        } catch (IllegalArgumentException e) {
            throw invalid("burstRequests", e.getMessage());
        }
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }

    /** A client's string echoed in a problem: bounded and printable. */
    private static String safe(String text) {
        String printable = text == null ? "" : text.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
