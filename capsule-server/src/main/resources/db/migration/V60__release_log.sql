-- The release transparency log (issue #12): the same RFC 9162 storage as the audit log (V40), its own tables.
--
-- release_log_entries: entry i: its canonical JSON bytes (release, rollout, rollback, revocation,
--   minimum-runtime). Append-only.
-- release_log_nodes: hashes of perfect subtrees (level 0 = leaf hashes). Append-only.
-- release_log_checkpoints: signed notes with a `time` extension line; several per size (a refresh re-signs
--   the same size with a newer time, so a runtime can tell a live log from a frozen one). Append-only.
-- release_packages: each approved version's package as served (developer-signed and platform-countersigned),
--   with what the bundle endpoint needs and the index of its release entry. Append-only.
-- release_rollouts: per mini-program, what is served: the stable version, the version being rolled out, its
--   percent and whether the rollout is paused. The one mutable table: every change to it is a log entry
--   appended in the same transaction.
-- release_revocations: revoked versions (each also a log entry). Append-only.
-- release_revocation_lists: every signed revocation list issued (DSSE envelope JSON), by sequence; every node
--   serves the latest one stored. Append-only.
-- release_settings: the platform minimum runtime version (one row; each change is a log entry).
CREATE TABLE release_log_entries (
    idx   bigint PRIMARY KEY CHECK (idx >= 0),
    entry bytea  NOT NULL CHECK (octet_length(entry) BETWEEN 2 AND 16384)
);

CREATE TABLE release_log_nodes (
    level smallint NOT NULL CHECK (level BETWEEN 0 AND 62),
    idx   bigint   NOT NULL CHECK (idx >= 0),
    hash  bytea    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);
CREATE INDEX release_log_nodes_leaf_hash ON release_log_nodes (hash) WHERE level = 0;

CREATE TABLE release_log_checkpoints (
    id           bigserial   PRIMARY KEY,
    size         bigint      NOT NULL CHECK (size > 0),
    root_hash    bytea       NOT NULL CHECK (octet_length(root_hash) = 32),
    time_seconds bigint      NOT NULL CHECK (time_seconds > 0),
    note         text        NOT NULL CHECK (octet_length(note) <= 65536),
    published_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX release_log_checkpoints_size ON release_log_checkpoints (size, id);

CREATE TABLE release_packages (
    app_id             text        NOT NULL CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    version            text        NOT NULL CHECK (octet_length(version) BETWEEN 1 AND 64),
    package_version_id uuid        NOT NULL UNIQUE,
    package            bytea       NOT NULL CHECK (octet_length(package) <= 20971520),
    package_digest     text        NOT NULL CHECK (package_digest ~ '^sha256:[0-9a-f]{64}$'),
    developer_key_pem  text        NOT NULL CHECK (octet_length(developer_key_pem) <= 1024),
    entry_index        bigint      NOT NULL UNIQUE REFERENCES release_log_entries (idx),
    released_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (app_id, version)
);

CREATE TABLE release_rollouts (
    app_id         text        PRIMARY KEY CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    stable_version text,
    rolling_version text,
    percent        smallint    NOT NULL CHECK (percent BETWEEN 0 AND 100),
    paused         boolean     NOT NULL DEFAULT false,
    rollback_entry bigint      REFERENCES release_log_entries (idx),
    updated_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    CHECK (stable_version IS NOT NULL OR rolling_version IS NOT NULL),
    FOREIGN KEY (app_id, stable_version) REFERENCES release_packages (app_id, version),
    FOREIGN KEY (app_id, rolling_version) REFERENCES release_packages (app_id, version)
);

CREATE TABLE release_revocations (
    app_id      text        NOT NULL,
    version     text        NOT NULL,
    reason      text        NOT NULL CHECK (octet_length(reason) BETWEEN 1 AND 500),
    entry_index bigint      NOT NULL UNIQUE REFERENCES release_log_entries (idx),
    revoked_at  timestamptz NOT NULL,
    PRIMARY KEY (app_id, version),
    FOREIGN KEY (app_id, version) REFERENCES release_packages (app_id, version)
);

CREATE TABLE release_revocation_lists (
    sequence    bigint      PRIMARY KEY CHECK (sequence > 0),
    envelope    text        NOT NULL CHECK (octet_length(envelope) <= 4194304),
    issued_at   timestamptz NOT NULL
);

CREATE TABLE release_settings (
    id              smallint    PRIMARY KEY CHECK (id = 1),
    minimum_runtime text        CHECK (octet_length(minimum_runtime) <= 64),
    entry_index     bigint      REFERENCES release_log_entries (idx)
);
INSERT INTO release_settings (id) VALUES (1);

-- Statement triggers, as for the audit log: they refuse even a statement that matches no row.
CREATE FUNCTION release_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['release_log_entries', 'release_log_nodes', 'release_log_checkpoints', 'release_packages',
                             'release_revocations', 'release_revocation_lists'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only()',
                       t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only()',
                       t || '_no_truncate', t);
    END LOOP;
END;
$$;
-- The mutable tables are never emptied wholesale.
CREATE TRIGGER release_rollouts_no_truncate BEFORE TRUNCATE ON release_rollouts
    FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only();
CREATE TRIGGER release_rollouts_no_delete BEFORE DELETE ON release_rollouts
    FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only();
CREATE TRIGGER release_settings_no_truncate BEFORE TRUNCATE ON release_settings
    FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only();
CREATE TRIGGER release_settings_no_delete BEFORE DELETE ON release_settings
    FOR EACH STATEMENT EXECUTE FUNCTION release_log_append_only();
