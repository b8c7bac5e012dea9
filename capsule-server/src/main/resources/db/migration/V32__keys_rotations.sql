-- Key rotations (keys module, docs/keys.md): a new primary key, then a background job re-encrypts what
-- the old key protected, in bounded batches, and retires the old key once nothing uses it. The job's
-- state lives here so that it survives a crash and any node can continue it (claimed with a lease).
CREATE TABLE keys_rotations (
    id           uuid        PRIMARY KEY,
    purpose      text        NOT NULL,
    old_key      bigint      NOT NULL,
    new_key      bigint      NOT NULL,
    state        text        NOT NULL CHECK (state IN ('rewrapping', 'done', 'failed')),
    resealed     bigint      NOT NULL DEFAULT 0,
    remaining    bigint,
    started_at   timestamptz NOT NULL,
    -- The old key is retired no earlier than this: every node has seen the new primary by then.
    retire_after timestamptz NOT NULL,
    finished_at  timestamptz,
    lease_owner  text,
    lease_until  timestamptz,
    actor        uuid,
    error        text
);
CREATE UNIQUE INDEX keys_rotations_one_running ON keys_rotations (purpose) WHERE state = 'rewrapping';
CREATE INDEX keys_rotations_started ON keys_rotations (started_at);
