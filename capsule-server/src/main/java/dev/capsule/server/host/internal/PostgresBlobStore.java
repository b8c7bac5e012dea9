package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.BlobStore;
import dev.capsule.runtime.storage.OversizeBlobException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The runtime's {@link BlobStore} in PostgreSQL ({@code host_storage_blobs}): one row per blob, replaced in one
 * statement (so a reader sees the old bytes or the new), shared by every node.
 *
 * <p>Security guarantees: it holds only what {@code EncryptedStorage} gives it (ciphertext under hex names) and
 * checks the names' shape itself (64 hex, or {@code keys}), so no other text reaches the table; {@link #read}
 * compares the stored length with {@code bytesMax} in the database and never fetches a larger blob.
 */
final class PostgresBlobStore implements BlobStore {
    /** Largest blob the table accepts (its CHECK): a record holds at most a 1 MiB value and a key. */
    static final int BLOB_BYTES_MAX = 4 * 1024 * 1024;
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private final JdbcClient jdbc;

    PostgresBlobStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<byte[]> read(String area, String name, int bytesMax) throws OversizeBlobException {
        check(area, name);
        Optional<Row> row = jdbc.sql("""
                SELECT octet_length(bytes), CASE WHEN octet_length(bytes) <= :max THEN bytes END
                FROM host_storage_blobs WHERE area = :a AND name = :n""")
                .param("max", bytesMax).param("a", area).param("n", name)
                .query((rs, n) -> new Row(rs.getLong(1), rs.getBytes(2))).optional();
        if (row.isEmpty()) {
            return Optional.empty();
        }
        if (row.get().bytes() == null) {
            throw new OversizeBlobException(row.get().length());
        }
        return Optional.of(row.get().bytes());
    }

    @Override
    public void write(String area, String name, byte[] bytes) {
        check(area, name);
        if (bytes.length > BLOB_BYTES_MAX) {
            throw new IllegalArgumentException("a storage blob holds at most " + BLOB_BYTES_MAX + " bytes");
        }
        jdbc.sql("""
                INSERT INTO host_storage_blobs (area, name, bytes) VALUES (:a, :n, :b)
                ON CONFLICT (area, name) DO UPDATE SET bytes = EXCLUDED.bytes""")
                .param("a", area).param("n", name).param("b", bytes).update();
    }

    @Override
    public void delete(String area, String name) {
        check(area, name);
        jdbc.sql("DELETE FROM host_storage_blobs WHERE area = :a AND name = :n").param("a", area).param("n", name).update();
    }

    @Override
    public List<String> recordNames(String area) {
        check(area, KEYS);
        return jdbc.sql("SELECT name FROM host_storage_blobs WHERE area = :a AND name <> :keys")
                .param("a", area).param("keys", KEYS).query(String.class).list();
    }

    @Override
    public void sweepLeftovers(String area) {
        // A write is one statement: nothing can be left half-done.
    }

    private static void check(String area, String name) {
        if (area == null || !HEX.matcher(area).matches() || name == null || !(name.equals(KEYS) || HEX.matcher(name).matches())) {
            throw new IllegalArgumentException("storage blobs are named by 64 hex characters (or keys)");
        }
    }

    private record Row(long length, byte[] bytes) {
    }

    @Override
    public String toString() {
        return "PostgresBlobStore[host_storage_blobs]";
    }
}
