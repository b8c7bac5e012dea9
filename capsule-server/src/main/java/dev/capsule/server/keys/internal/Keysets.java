package dev.capsule.server.keys.internal;

import com.google.crypto.tink.KeyStatus;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.signature.Ed25519PrivateKey;
import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.keys.KeyEvent;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The per-purpose Tink key sets, stored in {@code keys_keysets} encrypted under the KEK (Tink's
 * encrypted key set format, associated data = the purpose), each with a version that every change
 * increments; and {@code keys_inventory}, one public row per key (id, status, dates, and for signing
 * keys the public key). Each node caches the decrypted key sets and re-reads a purpose's version at
 * most every {@value #REFRESH_MILLIS} ms, so a rotation made on another node is used everywhere
 * within that time; a ciphertext under a key the cache does not know yet triggers an early re-read.
 *
 * <p>Security guarantees: key sets are decrypted only in memory; a changed key set is written in the
 * same transaction as its inventory rows and its {@link KeyEvent}, under a row lock, so concurrent
 * changes (two nodes rotating) serialize and none is lost.
 */
@Component
class Keysets {
    /** How stale a node's view of a key set may become before it checks the database again. */
    static final long REFRESH_MILLIS = 2_000;
    /** A ciphertext under an unknown key re-reads the key set at most this often (garbage cannot flood the database). */
    static final long MISS_RELOAD_MILLIS_MIN = 500;

    private final Kms kms;
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final KeyEventPublisher events;
    private final Map<String, Loaded> cache = new ConcurrentHashMap<>();
    /** When each purpose was last re-read because of an unknown key (the rate limit of {@link #afterMiss}). */
    private final Map<String, Long> missReloads = new ConcurrentHashMap<>();

    Keysets(Kms kms, JdbcClient jdbc, TransactionTemplate transactions, KeyEventPublisher events) {
        this.kms = kms;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
        TinkSetup.ensure();
    }

    /** A decrypted key set and the primitives made from it. */
    static final class Loaded {
        private final KeysetHandle handle;
        private final long version;
        private volatile long checkedAtNanos;
        private final Map<Class<?>, Object> primitives = new ConcurrentHashMap<>();

        Loaded(KeysetHandle handle, long version) {
            this.handle = handle;
            this.version = version;
            this.checkedAtNanos = System.nanoTime();
        }

        KeysetHandle handle() {
            return handle;
        }

        long version() {
            return version;
        }

        int primaryId() {
            return handle.getPrimary().getId();
        }

        /** Whether the key set holds {@code keyId} as an enabled key. */
        boolean enables(int keyId) {
            for (int i = 0; i < handle.size(); i++) {
                if (handle.getAt(i).getId() == keyId) {
                    return handle.getAt(i).getStatus() == KeyStatus.ENABLED;
                }
            }
            return false;
        }

        <P> P primitive(Class<P> type) {
            return type.cast(primitives.computeIfAbsent(type, t -> {
                try {
                    return handle.getPrimitive(RegistryConfiguration.get(), t);
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException("key set cannot make a " + t.getSimpleName(), e);
                }
            }));
        }

        @Override
        public String toString() {
            return "Keyset[version " + version + ", primary " + HexFormat.of().toHexDigits(primaryId()) + ", <keys redacted>]";
        }
    }

    /** The purpose's key set, created with one primary key if it has none yet. */
    Loaded current(KeyPurpose purpose) {
        return current(purpose, false);
    }

    /** The purpose's key set as the database has it now (a version check whatever the cache's age). */
    Loaded fresh(KeyPurpose purpose) {
        return current(purpose, true);
    }

    private Loaded current(KeyPurpose purpose, boolean check) {
        Loaded loaded = cache.get(purpose.code());
        if (loaded == null) {
            return load(purpose);
        }
        long now = System.nanoTime();
        if (check || now - loaded.checkedAtNanos > REFRESH_MILLIS * 1_000_000) {
            Long version = jdbc.sql("SELECT version FROM keys_keysets WHERE purpose = :p").param("p", purpose.code())
                    .query(Long.class).optional().orElse(-1L);
            if (version != loaded.version) {
                return load(purpose);
            }
            loaded.checkedAtNanos = now;
        }
        return loaded;
    }

    /** After a ciphertext named a key the cached key set does not enable: re-read, at most every {@value #MISS_RELOAD_MILLIS_MIN} ms. */
    Loaded afterMiss(KeyPurpose purpose) {
        long now = System.nanoTime();
        Long last = missReloads.get(purpose.code());
        if (last != null && now - last < MISS_RELOAD_MILLIS_MIN * 1_000_000) {
            return current(purpose);
        }
        missReloads.put(purpose.code(), now);
        return load(purpose);
    }

    /** Makes every purpose's key set exist (at start, so creation events reach the audit log early). */
    void ensureAll() {
        for (KeyPurpose purpose : KeyPurpose.all()) {
            current(purpose);
        }
    }

    /**
     * Changes the purpose's key set under a row lock, in a transaction that also runs {@code after}
     * (inventory rows, events); returns the new key set.
     */
    Loaded change(KeyPurpose purpose, UnaryOperator<KeysetHandle> change, Changed after) {
        current(purpose);
        Loaded changed = transactions.execute(status -> {
            Row row = jdbc.sql("SELECT keyset, version FROM keys_keysets WHERE purpose = :p FOR UPDATE")
                    .param("p", purpose.code()).query((rs, n) -> new Row(rs.getBytes(1), rs.getLong(2))).single();
            KeysetHandle before = decrypt(purpose, row.keyset());
            KeysetHandle after2 = change.apply(before);
            jdbc.sql("UPDATE keys_keysets SET keyset = :k, version = version + 1, updated_at = now() WHERE purpose = :p")
                    .param("k", encrypt(purpose, after2)).param("p", purpose.code()).update();
            after.apply(before, after2);
            return new Loaded(after2, row.version() + 1);
        });
        cache.put(purpose.code(), changed);
        return changed;
    }

    /** What a change also does inside its transaction. */
    @FunctionalInterface
    interface Changed {
        void apply(KeysetHandle before, KeysetHandle after);
    }

    /** The public name of a key: the 64-hex KeyId of a signing key, else the 8-hex Tink key id. */
    static String keyIdOf(KeyPurpose purpose, KeysetHandle.Entry entry) {
        return switch (purpose) {
            case KeyPurpose.Signing signing -> verifyingKey(entry).keyId().hex();
            case KeyPurpose.Data data -> HexFormat.of().toHexDigits(entry.getId());
        };
    }

    /** The Ed25519 public key of a signing key set entry. */
    static VerifyingKey verifyingKey(KeysetHandle.Entry entry) {
        if (!(entry.getKey() instanceof Ed25519PrivateKey key)) {
            throw new IllegalStateException("a signing key set holds a key that is not an Ed25519 private key");
        }
        try {
            return VerifyingKey.fromRaw(key.getPublicKey().getPublicKeyBytes().toByteArray());
        } catch (KeyFormatException e) {
            throw new IllegalStateException("Tink made an Ed25519 public key that does not validate", e);
        }
    }

    /** Adds an inventory row for a new key of the purpose. */
    void recordKey(KeyPurpose purpose, KeysetHandle.Entry entry, String status) {
        byte[] publicKey = purpose instanceof KeyPurpose.Signing ? verifyingKey(entry).raw() : null;
        jdbc.sql("""
                INSERT INTO keys_inventory (purpose, tink_id, key_id, status, public_key, created_at, status_at)
                VALUES (:p, :t, :k, :s, :pub, now(), now())""")
                .param("p", purpose.code()).param("t", Integer.toUnsignedLong(entry.getId()))
                .param("k", keyIdOf(purpose, entry)).param("s", status).param("pub", publicKey).update();
    }

    /** Sets an inventory row's status. */
    void recordStatus(KeyPurpose purpose, int tinkId, String status) {
        jdbc.sql("UPDATE keys_inventory SET status = :s, status_at = now() WHERE purpose = :p AND tink_id = :t")
                .param("s", status).param("p", purpose.code()).param("t", Integer.toUnsignedLong(tinkId)).update();
    }

    private Loaded load(KeyPurpose purpose) {
        Optional<Row> row = read(purpose);
        if (row.isEmpty()) {
            create(purpose);
            row = read(purpose);
        }
        Row found = row.orElseThrow();
        Loaded loaded = new Loaded(decrypt(purpose, found.keyset()), found.version());
        cache.put(purpose.code(), loaded);
        return loaded;
    }

    private Optional<Row> read(KeyPurpose purpose) {
        return jdbc.sql("SELECT keyset, version FROM keys_keysets WHERE purpose = :p").param("p", purpose.code())
                .query((rs, n) -> new Row(rs.getBytes(1), rs.getLong(2))).optional();
    }

    private void create(KeyPurpose purpose) {
        KeysetHandle handle;
        try {
            handle = KeysetHandle.generateNew(purpose.parameters());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate a " + purpose.code() + " key", e);
        }
        transactions.executeWithoutResult(status -> {
            int inserted = jdbc.sql("""
                    INSERT INTO keys_keysets (purpose, keyset, version, updated_at) VALUES (:p, :k, 1, now())
                    ON CONFLICT DO NOTHING""").param("p", purpose.code()).param("k", encrypt(purpose, handle)).update();
            if (inserted == 1) {
                recordKey(purpose, handle.getPrimary(), "primary");
                events.publish(KeyEvent.Kind.CREATE, purpose, keyIdOf(purpose, handle.getPrimary()));
            }
        });
    }

    private byte[] encrypt(KeyPurpose purpose, KeysetHandle handle) {
        try {
            return TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, kms.keyEncryptionKey(), associatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt the " + purpose.code() + " key set", e);
        }
    }

    private KeysetHandle decrypt(KeyPurpose purpose, byte[] keyset) {
        try {
            return TinkProtoKeysetFormat.parseEncryptedKeyset(keyset, kms.keyEncryptionKey(), associatedData(purpose));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the " + purpose.code() + " key set does not open under the key-encryption key "
                    + kms.kekId() + " (altered, or from another installation)");
        }
    }

    private static byte[] associatedData(KeyPurpose purpose) {
        return ("capsule-keyset/1\n" + purpose.code()).getBytes(StandardCharsets.UTF_8);
    }

    private record Row(byte[] keyset, long version) {
    }
}
