package dev.capsule.server.privacy.internal;

import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.keys.SubjectKeys;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.privacy.PrivacyRequestId;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Finished exports ({@code privacy_export_chunks}, V104), in the database of the person's region ({@link SubjectRegions}):
 * sealed under the person's own data-subject key in chunks of {@link #CHUNK_BYTES} (what one seal takes), kept
 * {@link #KEPT} for the person to download.
 *
 * <p>Security guarantees: nothing of an export is stored in clear; a chunk opens only for its request and position
 * (the {@link FieldPlace}); the person's erasure destroys the key, and deletes the rows.
 */
@Component
class ExportStore {
    /** Most bytes of one export's JSON. */
    static final int EXPORT_BYTES_MAX = 64 * 1024 * 1024;
    /** Bytes sealed at once (the keys module's most). */
    static final int CHUNK_BYTES = 1024 * 1024;
    /** How long a finished export can be downloaded. */
    static final Duration KEPT = Duration.ofDays(7);

    private final SubjectKeys subjectKeys;

    ExportStore(SubjectKeys subjectKeys) {
        this.subjectKeys = subjectKeys;
    }

    /** The data-subject key under which the privacy module seals what it keeps for the person (their exports). */
    static UUID subjectKey(String subjectTag) {
        return UUID.nameUUIDFromBytes(("capsule.privacy.subject/1\n" + subjectTag).getBytes(StandardCharsets.UTF_8));
    }

    void store(RegionalDatabase db, PrivacyRequestId request, String subjectTag, byte[] json, Instant now) {
        if (json.length > EXPORT_BYTES_MAX) {
            throw new IllegalArgumentException("an export holds at most " + EXPORT_BYTES_MAX + " bytes");
        }
        UUID key = subjectKey(subjectTag);
        for (int chunk = 0; chunk * CHUNK_BYTES < Math.max(json.length, 1); chunk++) {
            byte[] part = Arrays.copyOfRange(json, chunk * CHUNK_BYTES, Math.min(json.length, (chunk + 1) * CHUNK_BYTES));
            db.jdbc().sql("INSERT INTO privacy_export_chunks (request_id, chunk, sealed, expires_at) VALUES (:r, :c, :s, :e)")
                    .param("r", request.value()).param("c", chunk).param("s", subjectKeys.seal(key, part, place(request, chunk)))
                    .param("e", Timestamp.from(now.plus(KEPT))).update();
        }
    }

    /** The export's JSON while it is kept and the person's key exists; empty otherwise. */
    Optional<byte[]> read(RegionalDatabase db, PrivacyRequestId request, String subjectTag, Instant now) {
        List<byte[]> chunks = db.jdbc().sql("""
                SELECT sealed FROM privacy_export_chunks WHERE request_id = :r AND expires_at > :now ORDER BY chunk""")
                .param("r", request.value()).param("now", Timestamp.from(now)).query(byte[].class).list();
        if (chunks.isEmpty()) {
            return Optional.empty();
        }
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        UUID key = subjectKey(subjectTag);
        try {
            for (int chunk = 0; chunk < chunks.size(); chunk++) {
                Optional<byte[]> part = subjectKeys.open(key, chunks.get(chunk), place(request, chunk));
                if (part.isEmpty()) {
                    return Optional.empty();
                }
                json.writeBytes(part.get());
            }
        } catch (SealedValueException e) {
            return Optional.empty();
        }
        return Optional.of(json.toByteArray());
    }

    /** Deletes every export of the person's requests; returns how many chunks. */
    long deleteAll(RegionalDatabase db, String subjectTag) {
        return db.jdbc().sql("""
                DELETE FROM privacy_export_chunks WHERE request_id IN (SELECT id FROM privacy_requests WHERE subject_tag = :tag)""")
                .param("tag", subjectTag).update();
    }

    private static FieldPlace place(PrivacyRequestId request, int chunk) {
        return new FieldPlace("platform", "privacy_export_chunks", request + "/" + chunk, "sealed");
    }
}
