package dev.capsule.server.keys.internal;

import dev.capsule.core.log.NoteKey;
import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.LogOrigin;
import dev.capsule.server.platform.LogOrigins;
import io.swagger.v3.oas.annotations.Operation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/capsule-keys}: the platform's signing public keys, for anyone (no
 * authentication), so that countersignatures, audit and release log checkpoints and revocation lists can be checked
 * without trusting the server's other answers. Old keys stay listed after a rotation.
 */
@RestController
class WellKnownKeysController {
    static final String PATH = "/.well-known/capsule-keys";

    private final PlatformSigner signer;
    private final LogOrigins origins;

    WellKnownKeysController(PlatformSigner signer, LogOrigins origins) {
        this.signer = signer;
        this.origins = origins;
    }

    /**
     * One public key.
     *
     * @param keyId           lower-case hex SHA-256 of the key's DER SubjectPublicKeyInfo
     * @param noteVerifierKey for audit-checkpoint and release-checkpoint keys: the C2SP signed-note verifier key
     *                        ({@code origin+keyhash+base64(0x01||key)}) under that log's origin; otherwise null
     */
    record PublishedKey(String keyId, String purpose, String algorithm, String publicKeyPem, boolean primary, Instant createdAt,
            String noteVerifierKey) {
    }

    record Published(List<PublishedKey> keys) {
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The platform's Ed25519 signing public keys (public, no authentication); retired keys stay listed")
    ResponseEntity<Published> keys() {
        List<PublishedKey> keys = new ArrayList<>();
        for (SigningPurpose purpose : SigningPurpose.values()) {
            for (PlatformPublicKey key : signer.publicKeys(purpose)) {
                keys.add(new PublishedKey(key.key().keyId().hex(), purpose.code(), "Ed25519", key.key().toPem(), key.primary(),
                        key.createdAt(), noteVerifierKey(purpose, key)));
            }
        }
        // Never cached by intermediaries beyond the platform's no-store default: a rotation must show at once.
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new Published(keys));
    }

    /** The signed-note verifier key text of a checkpoint key (C2SP signed-note, Ed25519 type 0x01) under its log's origin; null otherwise. */
    private String noteVerifierKey(SigningPurpose purpose, PlatformPublicKey key) {
        LogOrigin origin = switch (purpose) {
            case AUDIT_CHECKPOINT -> origins.audit();
            case RELEASE_CHECKPOINT -> origins.releases();
            case PACKAGE_COUNTERSIGNATURE, REVOCATION_LIST -> null;
        };
        return origin == null ? null : new NoteKey(origin.name(), key.key()).vkey();
    }
}
