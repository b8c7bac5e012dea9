package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code local} KMS: the KEK is a Tink AES-256-GCM key set in {@code <data-dir>/keys/keystore.json},
 * encrypted under a key derived (HKDF-SHA256) from the {@link MasterSecret}.
 *
 * <p>Several nodes: the database holds the same encrypted keystore (table {@code keys_root}), so a
 * node with an empty data directory adopts the installation's KEK on its first start, and a node whose
 * keystore holds another KEK is refused with one line. This is safe because the copy in the database
 * is encrypted under the master secret, which never goes into the database: a stolen database or
 * backup alone opens nothing. It needs only the one thing every node must share anyway (the master
 * secret), where copying keystore files between hosts would be one more secret to distribute.
 *
 * <p>Security guarantees: the KEK's bytes exist only inside Tink's key set in memory; on disk and in
 * the database only encrypted (AES-256-GCM, associated data {@value #ASSOCIATED_DATA}); a master secret
 * that does not open the installation's keystore is refused at start with a clear cause.
 */
final class LocalKms implements Kms {
    static final String KEYSTORE_FILE = "keys/keystore.json";
    static final String FORMAT = "capsule-keystore/1";
    static final String ASSOCIATED_DATA = "capsule-keystore/1";
    static final String HKDF_SALT = "capsule local KMS";
    static final String HKDF_INFO = "capsule-keystore/1 key-encryption";
    /** A keystore file is a few hundred bytes; anything larger is not one. */
    static final long KEYSTORE_BYTES_MAX = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.shared();

    private final String kekId;
    private final Aead kek;

    private LocalKms(String kekId, Aead kek) {
        this.kekId = kekId;
        this.kek = kek;
    }

    /** Opens (or on the installation's first start, creates) the KEK; see the class comment. */
    static LocalKms open(MasterSecret master, Path dataDir, JdbcClient jdbc) {
        TinkSetup.ensure();
        Aead keystoreKey = AeadWiring.fromRawKey(master.derive(HKDF_SALT, HKDF_INFO, AeadWiring.KEY_BYTES));
        Path file = dataDir.resolve(KEYSTORE_FILE);
        Optional<Stored> local = readFile(file);
        Optional<Stored> shared = readDatabase(jdbc);
        if (shared.isEmpty()) {
            Stored offered = local.orElseGet(() -> generate(keystoreKey));
            jdbc.sql("INSERT INTO keys_root (id, backend, kek_id, wrapped_kek, created_at) VALUES (1, 'local', :kek, :wrapped, now()) "
                    + "ON CONFLICT DO NOTHING").param("kek", offered.kekId()).param("wrapped", offered.wrapped()).update();
            shared = readDatabase(jdbc);
        }
        Stored installation = shared.orElseThrow(() -> new IllegalStateException("keys_root has no key-encryption key"));
        if (local.isPresent() && !local.get().kekId().equals(installation.kekId())) {
            throw new IllegalStateException("this node's key-encryption key (" + file + ", " + local.get().kekId()
                    + ") is not the installation's (" + installation.kekId() + "); move that keystore away so the node adopts "
                    + "the installation's, with the same CAPSULE_MASTER_KEY as the other nodes (docs/keys.md)");
        }
        Aead kek = unwrap(installation, keystoreKey, master);
        if (local.isEmpty()) {
            writeFile(file, installation);
        }
        return new LocalKms(installation.kekId(), kek);
    }

    @Override
    public String backend() {
        return "local";
    }

    @Override
    public String kekId() {
        return kekId;
    }

    @Override
    public Aead keyEncryptionKey() {
        return kek;
    }

    @Override
    public String toString() {
        return "LocalKms[" + kekId + "]";
    }

    /** The encrypted KEK key set and its id. */
    private record Stored(String kekId, byte[] wrapped) {
    }

    private static Stored generate(Aead keystoreKey) {
        try {
            KeysetHandle handle = KeysetHandle.generateNew(AeadWiring.KEYSET_PARAMETERS);
            String id = "local:" + HexFormat.of().toHexDigits(handle.getPrimary().getId());
            return new Stored(id, TinkProtoKeysetFormat.serializeEncryptedKeyset(handle, keystoreKey,
                    ASSOCIATED_DATA.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not generate the key-encryption key", e);
        }
    }

    private static Aead unwrap(Stored stored, Aead keystoreKey, MasterSecret master) {
        KeysetHandle handle;
        try {
            handle = TinkProtoKeysetFormat.parseEncryptedKeyset(stored.wrapped(), keystoreKey,
                    ASSOCIATED_DATA.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the master secret (" + master.source() + ") does not open this installation's "
                    + "keystore: every node needs the CAPSULE_MASTER_KEY the installation was set up with (docs/keys.md)");
        }
        try {
            return handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the keystore does not hold an AES-256-GCM key set", e);
        }
    }

    private static Optional<Stored> readDatabase(JdbcClient jdbc) {
        return jdbc.sql("SELECT kek_id, wrapped_kek FROM keys_root WHERE id = 1")
                .query((rs, n) -> new Stored(rs.getString(1), rs.getBytes(2))).optional();
    }

    private static Optional<Stored> readFile(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            if (Files.size(file) > KEYSTORE_BYTES_MAX) {
                throw new IllegalStateException("keystore " + file + " is larger than a keystore can be");
            }
            JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
            if (!FORMAT.equals(root.path("format").asString(""))) {
                throw new IllegalStateException("keystore " + file + " is not a " + FORMAT + " file");
            }
            String kekId = root.path("kekId").asString("");
            if (!kekId.matches("local:[0-9a-f]{8}")) {
                throw new IllegalStateException("keystore " + file + " has no valid kekId");
            }
            return Optional.of(new Stored(kekId, Base64.getDecoder().decode(root.path("keyset").asString(""))));
        } catch (IOException e) {
            throw new UncheckedIOException("keystore " + file + " cannot be read: " + e.getMessage(), e);
        } catch (IllegalArgumentException | tools.jackson.core.JacksonException e) {
            throw new IllegalStateException("keystore " + file + " is damaged: " + e.getMessage());
        }
    }

    private static void writeFile(Path file, Stored stored) {
        Map<String, String> content = new LinkedHashMap<>();
        content.put("format", FORMAT);
        content.put("kekId", stored.kekId());
        content.put("keyset", Base64.getEncoder().encodeToString(stored.wrapped()));
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), "keystore", ".tmp",
                    PosixFilePermissions.asFileAttribute(MasterSecret.OWNER_ONLY));
            Files.writeString(temporary, JSON.writeValueAsString(content) + "\n", StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("keystore " + file + " cannot be written: " + e.getMessage(), e);
        }
    }
}
