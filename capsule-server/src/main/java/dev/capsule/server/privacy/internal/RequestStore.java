package dev.capsule.server.privacy.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.privacy.IdentityAssertion;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequestId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import dev.capsule.server.platform.RegionalDatabase;
import org.springframework.stereotype.Component;

/**
 * The {@code privacy_requests} table (V104): every read and state change of a request, in the database of the region
 * the caller names (the person's, {@link SubjectRegions}); the same schema in every region.
 */
@Component
class RequestStore {
    private static final String COLUMNS = """
            id, kind, state, subject_tag, filed_by, received_at, due_at, verified_by, verified_at, done_at, failure""";

    PrivacyRequest insert(RegionalDatabase db, PrivacyRequest.RequestKind kind, String subjectTag, Optional<OperatorId> filedBy, Instant now) {
        PrivacyRequestId id = PrivacyRequestId.random();
        db.jdbc().sql("""
                INSERT INTO privacy_requests (id, kind, state, subject_tag, filed_by, received_at, due_at)
                VALUES (:id, :kind, 'received', :tag, :by, :now, :due)""")
                .param("id", id.value()).param("kind", kind.code()).param("tag", subjectTag)
                .param("by", filedBy.map(OperatorId::value).orElse(null)).param("now", Timestamp.from(now))
                .param("due", Timestamp.from(now.plus(PrivacyRequest.DEADLINE))).update();
        return find(db, id).orElseThrow();
    }

    Optional<PrivacyRequest> find(RegionalDatabase db, PrivacyRequestId id) {
        return db.jdbc().sql("SELECT " + COLUMNS + " FROM privacy_requests WHERE id = :id").param("id", id.value())
                .query(RequestStore::row).optional();
    }

    /** Locks the request's row for the caller's transaction. */
    Optional<PrivacyRequest> lock(RegionalDatabase db, PrivacyRequestId id) {
        return db.jdbc().sql("SELECT " + COLUMNS + " FROM privacy_requests WHERE id = :id FOR UPDATE").param("id", id.value())
                .query(RequestStore::row).optional();
    }

    List<PrivacyRequest> ofSubject(RegionalDatabase db, String subjectTag, int limit) {
        return db.jdbc().sql("SELECT " + COLUMNS + " FROM privacy_requests WHERE subject_tag = :tag ORDER BY received_at DESC, id DESC LIMIT :n")
                .param("tag", subjectTag).param("n", limit).query(RequestStore::row).list();
    }

    /** A page of every request, newest first, before {@code before} (the last request of the previous page). */
    List<PrivacyRequest> page(RegionalDatabase db, Optional<PrivacyRequest> before, int limit) {
        if (before.isEmpty()) {
            return db.jdbc().sql("SELECT " + COLUMNS + " FROM privacy_requests ORDER BY received_at DESC, id DESC LIMIT :n")
                    .param("n", limit).query(RequestStore::row).list();
        }
        // (A text block here lost the space before FROM: its one line's indentation is stripped.)
        return db.jdbc().sql("SELECT " + COLUMNS + " FROM privacy_requests WHERE (received_at, id) < (:at, :id)"
                        + " ORDER BY received_at DESC, id DESC LIMIT :n")
                .param("at", Timestamp.from(before.get().receivedAt())).param("id", before.get().id().value()).param("n", limit)
                .query(RequestStore::row).list();
    }

    void verified(RegionalDatabase db, PrivacyRequestId id, IdentityAssertion assertion) {
        db.jdbc().sql("UPDATE privacy_requests SET state = 'verified', verified_by = :by, verified_at = :at WHERE id = :id AND state = 'received'")
                .param("by", assertion.source().code()).param("at", Timestamp.from(assertion.at())).param("id", id.value()).update();
    }

    void done(RegionalDatabase db, PrivacyRequestId id, Instant at, Optional<String> certificate) {
        db.jdbc().sql("""
                UPDATE privacy_requests SET state = 'done', done_at = :at, failure = NULL, certificate = :cert
                WHERE id = :id AND state = 'verified'""")
                .param("at", Timestamp.from(at)).param("cert", certificate.orElse(null)).param("id", id.value()).update();
    }

    void failed(RegionalDatabase db, PrivacyRequestId id, String code) {
        db.jdbc().sql("UPDATE privacy_requests SET failure = :code WHERE id = :id AND state = 'verified'")
                .param("code", code).param("id", id.value()).update();
    }

    Optional<String> certificate(RegionalDatabase db, PrivacyRequestId id) {
        return db.jdbc().sql("SELECT certificate FROM privacy_requests WHERE id = :id AND certificate IS NOT NULL")
                .param("id", id.value()).query(String.class).optional();
    }

    /** When the person's data was last erased, if ever. */
    Optional<Instant> lastErasure(RegionalDatabase db, String subjectTag) {
        return db.jdbc().sql("SELECT max(done_at) FROM privacy_requests WHERE subject_tag = :tag AND kind = 'erasure' AND state = 'done'")
                .param("tag", subjectTag).query((rs, n) -> Optional.ofNullable(rs.getTimestamp(1)).map(Timestamp::toInstant)).single();
    }

    private static PrivacyRequest row(ResultSet rs, int n) throws SQLException {
        return new PrivacyRequest(new PrivacyRequestId(rs.getObject("id", UUID.class)),
                PrivacyRequest.RequestKind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)),
                PrivacyRequest.RequestState.valueOf(rs.getString("state").toUpperCase(Locale.ROOT)),
                rs.getString("subject_tag"),
                Optional.ofNullable(rs.getObject("filed_by", UUID.class)).map(OperatorId::of),
                rs.getTimestamp("received_at").toInstant(), rs.getTimestamp("due_at").toInstant(),
                Optional.ofNullable(rs.getString("verified_by"))
                        .map(code -> IdentityAssertion.Source.valueOf(code.toUpperCase(Locale.ROOT).replace('-', '_'))),
                instant(rs, "verified_at"), instant(rs, "done_at"), Optional.ofNullable(rs.getString("failure")));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getTimestamp(column)).map(Timestamp::toInstant);
    }
}
