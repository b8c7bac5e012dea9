-- Data-subject requests (issue #17, docs/privacy.md "Data-subject requests"): a person's request to see (export)
-- or delete (erasure) what the platform holds about them. The person appears only as a pseudonym
-- (Pseudonyms.tag("shell-user:" + id), the same one the audit log uses), never as the super-app's account id:
-- who they are is known only while they are signed in to the shell, which is how the host vouches for them.
CREATE TABLE privacy_requests (
    id             uuid        PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('export', 'erasure')),
    subject_tag    text        NOT NULL CHECK (subject_tag ~ '^[0-9a-f]{32}$'),
    state          text        NOT NULL CHECK (state IN ('received', 'verified', 'done')),
    -- who filed it: NULL = the person, through the shell; otherwise the privacy.manage operator
    filed_by       uuid,
    received_at    timestamptz NOT NULL,
    due_at         timestamptz NOT NULL CHECK (due_at > received_at),
    -- the host's assertion of the requester's identity: how (session-grant | demo-user) and when
    verified_by    text        CHECK (verified_by IN ('session-grant', 'demo-user')),
    verified_at    timestamptz,
    done_at        timestamptz,
    -- the last failure while carrying it out (a code), cleared when it is done
    failure        text        CHECK (failure ~ '^[a-z][a-z0-9-]{0,63}$'),
    -- erasure: the certificate, canonical JSON (ErasureCertificate), whose SHA-256 the audit log holds
    certificate    text        CHECK (octet_length(certificate) <= 262144),
    CHECK ((state = 'received') = (verified_at IS NULL)),
    CHECK ((state = 'done') = (done_at IS NOT NULL)),
    CHECK (verified_at IS NULL OR verified_by IS NOT NULL)
);
CREATE INDEX privacy_requests_subject ON privacy_requests (subject_tag, received_at DESC);
CREATE INDEX privacy_requests_received ON privacy_requests (received_at DESC, id);

-- A finished export, sealed under the person's data-subject key (keys.SubjectKeys) in chunks of at most 1 MiB
-- (the most one seal takes), kept for the person to download for a short while (PrivacyRetention) and deleted with
-- the person's erasure.
CREATE TABLE privacy_export_chunks (
    request_id  uuid        NOT NULL REFERENCES privacy_requests ON DELETE CASCADE,
    chunk       integer     NOT NULL CHECK (chunk BETWEEN 0 AND 63),
    sealed      bytea       NOT NULL CHECK (octet_length(sealed) <= 1049600),
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (request_id, chunk)
);
CREATE INDEX privacy_export_chunks_expiry ON privacy_export_chunks (expires_at);
