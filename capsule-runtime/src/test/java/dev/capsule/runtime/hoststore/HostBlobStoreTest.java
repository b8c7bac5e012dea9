package dev.capsule.runtime.hoststore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.storage.BlobStore;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.OversizeBlobException;
import dev.capsule.runtime.storage.StorageArea;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.runtime.storage.StorageLimits;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A host's own {@link BlobStore} (outside the storage package, as a server's database table is) under
 * {@link EncryptedStorage#over}: the same encryption and binding as Capsule's own stores; the host's store sees
 * only hex names and ciphertext, and a store that answers too much or wrong bytes makes the record unreadable.
 */
class HostBlobStoreTest {
    /** A host's store: a table of (area, name) → bytes, as a database would keep it. */
    private static final class TableStore implements BlobStore {
        final Map<String, byte[]> rows = new ConcurrentHashMap<>();

        @Override
        public Optional<byte[]> read(String area, String name, int bytesMax) throws OversizeBlobException {
            byte[] blob = rows.get(area + "/" + name);
            if (blob != null && blob.length > bytesMax) {
                throw new OversizeBlobException(blob.length);
            }
            return Optional.ofNullable(blob).map(byte[]::clone);
        }

        @Override
        public void write(String area, String name, byte[] bytes) {
            rows.put(area + "/" + name, bytes.clone());
        }

        @Override
        public void delete(String area, String name) {
            rows.remove(area + "/" + name);
        }

        @Override
        public List<String> recordNames(String area) {
            return rows.keySet().stream().filter(k -> k.startsWith(area + "/")).map(k -> k.substring(area.length() + 1))
                    .filter(n -> !n.equals(KEYS)).toList();
        }

        @Override
        public void sweepLeftovers(String area) {
            // one row per write: nothing is left half-done
        }
    }

    @Test
    void valuesRoundTripAndTheHostsStoreSeesOnlyHexNamesAndCiphertext() throws Exception {
        TableStore table = new TableStore();
        var key = LocalMasterKey.ephemeral();
        StorageArea area = EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "alice");
        area.set("todos", "[\"buy milk\"]");

        assertThat(EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "alice").get("todos"))
                .contains("[\"buy milk\"]");
        assertThat(table.rows.keySet()).allMatch(k -> k.matches("[0-9a-f]{64}/([0-9a-f]{64}|keys)"));
        assertThat(table.rows.values()).noneMatch(v -> new String(v, StandardCharsets.ISO_8859_1).contains("milk")
                || new String(v, StandardCharsets.ISO_8859_1).contains("todos"));
        assertThat(EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "bob").get("todos")).isEmpty();
    }

    @Test
    void aStoreThatAnswersOversizeOrTamperedBytesMakesTheRecordUnreadable() throws Exception {
        TableStore table = new TableStore();
        var key = LocalMasterKey.ephemeral();
        EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "alice").set("todos", "1");
        String record = table.rows.keySet().stream().filter(k -> !k.endsWith("/keys")).findFirst().orElseThrow();
        byte[] tampered = table.rows.get(record).clone();
        tampered[tampered.length - 1] ^= 1;
        table.rows.put(record, tampered);
        assertThatThrownBy(() -> EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "alice").get("todos"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.UNREADABLE));

        table.rows.put(record, new byte[StorageLimits.VALUE_BYTES_MAX * 2]);
        assertThatThrownBy(() -> EncryptedStorage.over(table, key, StorageLimits.DEFAULTS).open("com.example.todo", "alice").get("todos"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.UNREADABLE));
    }
}
