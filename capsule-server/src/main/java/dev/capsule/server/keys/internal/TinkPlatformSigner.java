package dev.capsule.server.keys.internal;

import com.google.crypto.tink.PublicKeySign;
import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSignature;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * {@link PlatformSigner} over the signing purposes' Tink Ed25519 key sets (no output prefix: plain
 * RFC 8032 signatures). Public keys are read from the inventory, which keeps every key ever made.
 */
@Component
class TinkPlatformSigner implements PlatformSigner {
    /** Largest message signed: checkpoints, countersignature statements and lists are small. */
    static final int MESSAGE_BYTES_MAX = 16 * 1024 * 1024;

    private final Keysets keysets;
    private final JdbcClient jdbc;
    private final KeyMetrics metrics;

    TinkPlatformSigner(Keysets keysets, JdbcClient jdbc, KeyMetrics metrics) {
        this.keysets = keysets;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    @Override
    public PlatformSignature sign(SigningPurpose purpose, byte[] message) {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(message, "message");
        if (message.length > MESSAGE_BYTES_MAX) {
            throw new IllegalArgumentException("messages signed are at most " + MESSAGE_BYTES_MAX + " bytes");
        }
        KeyPurpose keyPurpose = KeyPurpose.of(purpose);
        Keysets.Loaded keyset = keysets.current(keyPurpose);
        VerifyingKey key = Keysets.verifyingKey(keyset.handle().getPrimary());
        try {
            byte[] signature = keyset.primitive(PublicKeySign.class).sign(message);
            metrics.count(keyPurpose, "sign", true);
            return new PlatformSignature(key, signature);
        } catch (GeneralSecurityException e) {
            metrics.count(keyPurpose, "sign", false);
            throw new IllegalStateException("signing with the " + purpose.code() + " key failed", e);
        }
    }

    @Override
    public PlatformPublicKey primary(SigningPurpose purpose) {
        keysets.current(KeyPurpose.of(purpose));
        return publicKeys(purpose).getFirst();
    }

    @Override
    public List<PlatformPublicKey> publicKeys(SigningPurpose purpose) {
        keysets.current(KeyPurpose.of(purpose));
        return jdbc.sql("""
                SELECT public_key, status, created_at FROM keys_inventory
                WHERE purpose = :p AND status <> 'destroyed'
                ORDER BY status = 'primary' DESC, created_at DESC, tink_id""")
                .param("p", purpose.code())
                .query((rs, n) -> new PlatformPublicKey(verifying(rs.getBytes(1)), purpose, "primary".equals(rs.getString(2)),
                        rs.getTimestamp(3).toInstant()))
                .list();
    }

    private static VerifyingKey verifying(byte[] raw) {
        try {
            return VerifyingKey.fromRaw(raw);
        } catch (KeyFormatException e) {
            throw new IllegalStateException("keys_inventory holds an invalid Ed25519 public key", e);
        }
    }
}
