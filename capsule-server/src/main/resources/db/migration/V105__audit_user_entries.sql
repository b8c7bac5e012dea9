-- Which audit entries name an end user (issue #17, data subject requests): the privacy export lists a person's entries
-- with their inclusion proofs, and audit_entries (canonical JSON in bytea) has no index by user.
--
-- audit_user_entries: one row per entry whose `user` field is set, keyed by that field's value: the keyed pseudonym
--   (keys.Pseudonyms, 32 hex) the entry names the user by, never the user id. Written by the sequencer in the
--   transaction that appends the entries (so an entry and its row commit together); append-only like the log, since
--   the entries it points at are never changed either. No foreign key to audit_entries: it would change how that
--   table refuses a TRUNCATE (PostgreSQL checks references before the append-only trigger), and the sequencer writes
--   both in one transaction.
CREATE TABLE audit_user_entries (
    user_tag text   NOT NULL CHECK (user_tag ~ '^[0-9a-f]{32}$'),
    idx      bigint NOT NULL CHECK (idx >= 0),
    PRIMARY KEY (user_tag, idx)
);

CREATE TRIGGER audit_user_entries_append_only BEFORE UPDATE OR DELETE ON audit_user_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_user_entries_no_truncate BEFORE TRUNCATE ON audit_user_entries
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Upgrade: index the entries already in the log. An entry whose `user` is not a tag (none is written so, but the log
-- is never trusted to be tidy) is left out rather than failing the migration.
INSERT INTO audit_user_entries (user_tag, idx)
SELECT u.tag, u.idx FROM (
    SELECT convert_from(entry, 'UTF8')::jsonb ->> 'user' AS tag, idx FROM audit_entries
) u
WHERE u.tag ~ '^[0-9a-f]{32}$'
ORDER BY u.idx;
