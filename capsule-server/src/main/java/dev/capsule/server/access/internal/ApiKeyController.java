package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OrganisationBinding;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/api-keys}: operators create, approve, list and revoke host applications' API keys (docs/api-keys.md). */
@RestController
class ApiKeyController {
    static final String KEY_ID = "[0-9a-f]{16}";

    private final ApiKeyService keys;

    ApiKeyController(ApiKeyService keys) {
        this.keys = keys;
    }

    /**
     * @param name            what the key is for ("payments backend, production"); 1 to 100 printable characters
     * @param permissions     permission codes, each one an API key may hold
     * @param expiresInDays   1 to 365
     * @param burstRequests   optional; the key's bucket size (default capsule.rate-limit.key-burst-requests)
     * @param refillPerMinute optional; the key's sustained rate (default capsule.rate-limit.key-refill-per-minute)
     * @param organisation    optional; the developer organisation (registry id) the key submits packages for
     */
    record CreateRequest(
            @NotBlank @Size(max = ApiKeyService.NAME_CHARS_MAX) @Pattern(regexp = "[^\\p{Cntrl}]*", message = "must not hold control characters") String name,
            @NotNull @Size(min = 1, max = 32) List<@NotNull @Size(max = 64) String> permissions,
            @NotNull @Min(1) @Max(ApiKeyService.EXPIRES_IN_DAYS_MAX) Integer expiresInDays,
            @Min(1) @Max(BucketPolicy.BURST_REQUESTS_MAX) Integer burstRequests,
            @Min(1) @Max(BucketPolicy.REFILL_PER_MINUTE_MAX) Integer refillPerMinute,
            UUID organisation) {
    }

    /** The creation response: the key, and the token, which the server never shows again. */
    record Created(ApiKeyView key, String token) {
        @Override
        public String toString() {
            return "Created[key=" + key.keyId() + ", token=<redacted>]";
        }
    }

    record Page(List<ApiKeyView> items, String next) {
    }

    @PostMapping(path = "/api/v1/api-keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.APIKEYS_MANAGE, stepUp = true)
    ResponseEntity<Created> create(@Valid @RequestBody CreateRequest request) {
        ApiKeyService.CreatedKey created = keys.create(operator(),
                new ApiKeyService.NewKey(request.name(), request.permissions(), request.expiresInDays(),
                        request.burstRequests(), request.refillPerMinute(),
                        request.organisation() == null ? null : binding(request.organisation())));
        return ResponseEntity.created(URI.create("/api/v1/api-keys/" + created.key().keyId()))
                .body(new Created(ApiKeyView.of(created.key(), keys.now()), created.token().reveal()));
    }

    @GetMapping("/api/v1/api-keys")
    @RequiresPermission(Permission.APIKEYS_READ)
    Page list(@RequestParam("after") Optional<@Pattern(regexp = KEY_ID) String> after,
            @RequestParam("limit") Optional<Integer> limit) {
        int size = limit.orElse(ApiKeyService.PAGE_SIZE_DEFAULT);
        List<StoredKey> page = keys.page(after, Optional.of(size));
        Instant now = keys.now();
        String next = page.size() == size ? page.getLast().keyId() : null;
        return new Page(page.stream().map(key -> ApiKeyView.of(key, now)).toList(), next);
    }

    @GetMapping("/api/v1/api-keys/{keyId}")
    @RequiresPermission(Permission.APIKEYS_READ)
    ApiKeyView get(@PathVariable("keyId") String keyId) {
        return ApiKeyView.of(keys.get(checked(keyId)), keys.now());
    }

    @PostMapping("/api/v1/api-keys/{keyId}/approve")
    @RequiresPermission(value = Permission.APIKEYS_APPROVE, stepUp = true)
    ApiKeyView approve(@PathVariable("keyId") String keyId) {
        return ApiKeyView.of(keys.approve(operator(), checked(keyId)),
                keys.now());
    }

    @PostMapping("/api/v1/api-keys/{keyId}/revoke")
    @RequiresPermission(Permission.APIKEYS_MANAGE)
    ApiKeyView revoke(@PathVariable("keyId") String keyId) {
        return ApiKeyView.of(keys.revoke(operator(), checked(keyId)), keys.now());
    }

    /** The organisation a key is to be bound to, refused as the API refuses an unknown one. */
    static OrganisationBinding binding(UUID organisation) {
        try {
            return new OrganisationBinding(organisation);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, "1 field is invalid", java.util.Map.of("errors",
                    List.of(java.util.Map.of("field", "organisation", "message", "is not a registered developer organisation"))));
        }
    }

    /** A key id from a path: 16 hex digits, else 404 (the console pages use it too). */
    static String checked(String keyId) {
        if (!keyId.matches(KEY_ID)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "there is no API key with that id (ids are 16 hex digits)");
        }
        return keyId;
    }

    /** Key management is for people: the permissions are operator-only, so this holds; checked anyway. */
    static Caller.Operator operator() {
        if (Caller.current() instanceof Caller.Operator operator) {
            return operator;
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "API keys are managed by operators, not by API keys");
    }
}
