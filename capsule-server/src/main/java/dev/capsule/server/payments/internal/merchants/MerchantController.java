package dev.capsule.server.payments.internal.merchants;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/merchants}: operators register merchants for verified developer organisations, add and revoke their
 * signing keys, and disable or re-enable them (docs/payments.md, "Merchants"). Reading needs {@code payments.read};
 * every change {@code payments.manage}, and those that grant something (register, add a key, enable) a recent second
 * factor. Revoking a key and disabling a merchant take nothing but the permission: they only take trust away, and an
 * operator answering a leaked key must not be slowed down.
 */
@RestController
class MerchantController {
    static final String MERCHANTS = "/api/v1/merchants";

    private final Merchants merchants;

    MerchantController(Merchants merchants) {
        this.merchants = merchants;
    }

    record RegisterRequest(@NotBlank @Size(max = 36) String organisation, @Size(max = Merchants.APPS_PER_MERCHANT_MAX) List<String> apps) {
    }

    /** {@code algorithm} {@code ed25519} with {@code publicKeyPem}, or {@code hmac-sha256} alone (the server generates it). */
    record KeyRequest(@NotBlank @Size(max = 16) String algorithm, @Size(max = Merchants.PEM_CHARS_MAX) String publicKeyPem) {
    }

    record KeyView(String id, String object, String algorithm, String publicKeyPem, String status, String addedBy, Instant added,
                   String revokedBy, Instant revoked) {
        static KeyView of(MerchantKeyInfo key) {
            return new KeyView(key.id().value(), "merchant_key", key.algorithm(), key.publicKey().map(KeyView::pem).orElse(null),
                    key.revoked() ? "revoked" : "active", key.addedBy(), key.addedAt(), key.revokedBy().orElse(null),
                    key.revokedAt().orElse(null));
        }

        private static String pem(byte[] raw) {
            try {
                return VerifyingKey.fromRaw(raw).toPem();
            } catch (KeyFormatException e) {
                throw new IllegalStateException("a stored merchant key is not a valid Ed25519 key", e);
            }
        }
    }

    record MerchantView(String id, String object, String organisation, String verifiedName, List<String> apps, boolean enabled,
                        String createdBy, Instant created, List<KeyView> keys) {
        static MerchantView of(RegisteredMerchant registered, List<MerchantKeyInfo> keys) {
            Merchant merchant = registered.merchant();
            return new MerchantView(merchant.id().value(), "merchant", merchant.organisation().toString(), merchant.verifiedName(),
                    merchant.apps().stream().map(MiniProgramId::value).sorted().toList(), merchant.enabled(), registered.createdBy(),
                    registered.createdAt(), keys.stream().map(KeyView::of).toList());
        }
    }

    /** A generated HMAC key: its secret (standard base64 of 32 bytes) appears in this answer only. */
    record GeneratedKeyView(KeyView key, String secret) {
        @Override
        public String toString() {
            return "GeneratedKeyView[" + key.id() + ", secret redacted]";
        }
    }

    @PostMapping(path = MERCHANTS, consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    ResponseEntity<MerchantView> register(@Valid @RequestBody RegisterRequest request) {
        OrganisationId organisation = OrganisationId.parse(request.organisation()).orElseThrow(() ->
                Merchants.invalid("organisation", "must be an organisation id (a UUID)"));
        RegisteredMerchant merchant = merchants.register(operator(), organisation, request.apps());
        return ResponseEntity.created(URI.create(MERCHANTS + "/" + merchant.merchant().id())).body(view(merchant));
    }

    @GetMapping(MERCHANTS)
    @RequiresPermission(Permission.PAYMENTS_READ)
    List<MerchantView> list() {
        return merchants.list().stream().map(this::view).toList();
    }

    @GetMapping(MERCHANTS + "/{id}")
    @RequiresPermission(Permission.PAYMENTS_READ)
    MerchantView get(@PathVariable("id") String id) {
        return view(merchants.existing(id(id)));
    }

    @PostMapping(path = MERCHANTS + "/{id}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    ResponseEntity<?> addKey(@PathVariable("id") String id, @Valid @RequestBody KeyRequest request) {
        MerchantId merchant = id(id);
        return switch (request.algorithm()) {
            case "ed25519" -> {
                MerchantKeyInfo key = merchants.addEd25519Key(operator(), merchant, request.publicKeyPem());
                yield ResponseEntity.created(keyUri(merchant, key.id())).body(KeyView.of(key));
            }
            case "hmac-sha256" -> {
                if (request.publicKeyPem() != null) {
                    throw Merchants.invalid("publicKeyPem", "must be absent for hmac-sha256: the server generates the secret");
                }
                Merchants.GeneratedHmacKey generated = merchants.generateHmacKey(operator(), merchant);
                yield ResponseEntity.created(keyUri(merchant, generated.key().id()))
                        .body(new GeneratedKeyView(KeyView.of(generated.key()), generated.secretBase64()));
            }
            default -> throw Merchants.invalid("algorithm", "must be ed25519 or hmac-sha256");
        };
    }

    @PostMapping(MERCHANTS + "/{id}/keys/{keyId}/revoke")
    @RequiresPermission(Permission.PAYMENTS_MANAGE)
    KeyView revokeKey(@PathVariable("id") String id, @PathVariable("keyId") String keyId) {
        return KeyView.of(merchants.revokeKey(operator(), id(id), keyId(keyId)));
    }

    @PostMapping(MERCHANTS + "/{id}/disable")
    @RequiresPermission(Permission.PAYMENTS_MANAGE)
    MerchantView disable(@PathVariable("id") String id) {
        return view(merchants.setEnabled(operator(), id(id), false));
    }

    @PostMapping(MERCHANTS + "/{id}/enable")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    MerchantView enable(@PathVariable("id") String id) {
        return view(merchants.setEnabled(operator(), id(id), true));
    }

    private MerchantView view(RegisteredMerchant merchant) {
        return MerchantView.of(merchant, merchants.keys(merchant.merchant().id()));
    }

    private static URI keyUri(MerchantId merchant, MerchantKeyId key) {
        return URI.create(MERCHANTS + "/" + merchant + "/keys/" + key);
    }

    /** The operator acting: {@code payments.manage} is operators-only, so an API key never gets here. */
    static Caller.Operator operator() {
        if (Caller.current() instanceof Caller.Operator operator) {
            return operator;
        }
        throw new ProblemException(ProblemType.FORBIDDEN, "merchants are managed by operators, not by API keys");
    }

    static MerchantId id(String text) {
        return MerchantId.parse(text).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no merchant with that id (ids are mch_ and 26 characters)"));
    }

    static MerchantKeyId keyId(String text) {
        return MerchantKeyId.parse(text).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no key with that id (key ids are mk_ and 26 characters)"));
    }
}
