package dev.capsule.server.keys.internal;

import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import io.swagger.v3.oas.annotations.Operation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /.well-known/capsule-keys}: the platform's signing public keys, for anyone (no
 * authentication), so that countersignatures, audit checkpoints and revocation lists can be checked
 * without trusting the server's other answers. Old keys stay listed after a rotation.
 */
@RestController
class WellKnownKeysController {
    static final String PATH = "/.well-known/capsule-keys";
    /** A note key name: printable ASCII, no spaces and no '+' (C2SP signed-note). */
    private static final Pattern NOTE_NAME = Pattern.compile("[\\x21-\\x2a\\x2c-\\x7e]{1,255}");

    private final PlatformSigner signer;
    private final JdbcClient jdbc;
    private final String configuredOrigin;
    private volatile String origin;

    WellKnownKeysController(PlatformSigner signer, JdbcClient jdbc, @Value("${capsule.audit.origin:}") String configuredOrigin) {
        this.signer = signer;
        this.jdbc = jdbc;
        this.configuredOrigin = configuredOrigin.strip();
    }

    /**
     * One public key.
     *
     * @param keyId           lower-case hex SHA-256 of the key's DER SubjectPublicKeyInfo
     * @param noteVerifierKey for audit-checkpoint keys: the C2SP signed-note verifier key
     *                        ({@code origin+keyhash+base64(0x01||key)}); otherwise null
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
                        key.createdAt(), purpose == SigningPurpose.AUDIT_CHECKPOINT ? noteVerifierKey(key) : null));
            }
        }
        // Never cached by intermediaries beyond the platform's no-store default: a rotation must show at once.
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(new Published(keys));
    }

    /** The signed-note verifier key text of an audit-checkpoint key (C2SP signed-note, Ed25519 type 0x01). */
    String noteVerifierKey(PlatformPublicKey key) {
        String name = origin();
        byte[] typed = new byte[33];
        typed[0] = 1;
        System.arraycopy(key.key().raw(), 0, typed, 1, 32);
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(name.getBytes(StandardCharsets.UTF_8));
            sha256.update((byte) '\n');
            sha256.update(typed);
            byte[] hash = sha256.digest();
            return name + "+" + HexFormat.of().formatHex(hash, 0, 4) + "+" + Base64.getEncoder().encodeToString(typed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The audit log's origin: {@code capsule.audit.origin}, else {@code capsule.local/audit/<installation id>} (as the audit module names it). */
    private String origin() {
        String known = origin;
        if (known == null) {
            known = configuredOrigin.isEmpty()
                    ? "capsule.local/audit/" + jdbc.sql("SELECT installation_id FROM server_installation").query(UUID.class).single()
                    : configuredOrigin;
            if (!NOTE_NAME.matcher(known).matches()) {
                throw new IllegalStateException("capsule.audit.origin is not a valid signed-note key name");
            }
            origin = known;
        }
        return known;
    }
}
