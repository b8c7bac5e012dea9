-- The Merkle audit log (issue #6), replacing security_events.
--
-- audit_pending: events recorded in their caller's transaction, waiting for the sequencer. Rows are
--   inserted by AuditTrail.record and deleted only by the sequencer, in the transaction that appends
--   them to the log; no update. `fields` is the entry's JSON object without its index and time (personal
--   details already sealed); `legacy` rows come from security_events below and still hold the client
--   address in clear (as security_events did) until the sequencer seals it.
-- audit_entries: entry i of the log: its canonical JSON bytes. Append-only.
-- audit_nodes: hashes of perfect subtrees (RFC 9162): level 0 = leaf hashes, (level L, idx k) = the
--   hash of leaves [k*2^L, (k+1)*2^L). Written by the sequencer when a batch completes them. Append-only.
-- audit_checkpoints: signed notes (C2SP tlog-checkpoint), one per tree size published. Append-only.
CREATE TABLE audit_pending (
    id          bigserial   PRIMARY KEY,
    recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    event_id    uuid        NOT NULL UNIQUE,
    fields      text        NOT NULL CHECK (octet_length(fields) <= 8192),
    legacy      boolean     NOT NULL DEFAULT false
);

CREATE TABLE audit_entries (
    idx   bigint PRIMARY KEY CHECK (idx >= 0),
    entry bytea  NOT NULL CHECK (octet_length(entry) BETWEEN 2 AND 16384)
);

CREATE TABLE audit_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx   bigint   NOT NULL CHECK (idx >= 0),
    hash  bytea    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);
-- Inclusion proofs by leaf hash.
CREATE INDEX audit_nodes_leaf_hash ON audit_nodes (hash) WHERE level = 0;

CREATE TABLE audit_checkpoints (
    size         bigint      PRIMARY KEY CHECK (size > 0),
    root_hash    bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
    note         text        NOT NULL CHECK (octet_length(note) <= 65536),
    published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- Statement triggers: they refuse even a statement that matches no row, so nothing probes for gaps.
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER audit_entries_append_only BEFORE UPDATE OR DELETE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_nodes_append_only BEFORE UPDATE OR DELETE ON audit_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_nodes_no_truncate BEFORE TRUNCATE ON audit_nodes
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
-- Pending rows leave only by the sequencer's DELETE; nothing rewrites or truncates them.
CREATE TRIGGER audit_pending_no_update BEFORE UPDATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_pending_no_truncate BEFORE TRUNCATE ON audit_pending
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Upgrade: every security_events row joins the log, oldest first, at its original time.
INSERT INTO audit_pending (recorded_at, event_id, fields, legacy)
SELECT occurred_at, gen_random_uuid(),
       jsonb_strip_nulls(jsonb_build_object(
           'type', event_type, 'outcome', outcome, 'actor', actor_id, 'subject', subject_id,
           'reason', reason, 'apiKey', api_key_id, 'legacyAddress', source_address))::text,
       true
FROM security_events ORDER BY id;

DROP TABLE security_events;
DROP FUNCTION security_events_append_only();
