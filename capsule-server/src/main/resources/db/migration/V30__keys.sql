-- Key management (keys module, docs/keys.md).

-- The installation's key-encryption key, encrypted under a key derived from the master secret (never
-- stored here): a node with an empty data directory adopts it; a node with another KEK is refused.
CREATE TABLE keys_root (
    id          smallint    PRIMARY KEY CHECK (id = 1),
    backend     text        NOT NULL,
    kek_id      text        NOT NULL,
    wrapped_kek bytea       NOT NULL,
    created_at  timestamptz NOT NULL
);

-- One Tink key set per purpose, encrypted under the KEK (associated data: the purpose); every change
-- increments the version, which nodes poll to refresh their cached copy.
CREATE TABLE keys_keysets (
    purpose    text        PRIMARY KEY,
    keyset     bytea       NOT NULL,
    version    bigint      NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Every key ever made, public facts only: its id, status and dates, and a signing key's public key.
CREATE TABLE keys_inventory (
    purpose    text        NOT NULL,
    tink_id    bigint      NOT NULL,
    key_id     text        NOT NULL,
    status     text        NOT NULL CHECK (status IN ('primary', 'enabled', 'retired', 'destroyed')),
    public_key bytea,
    created_at timestamptz NOT NULL,
    status_at  timestamptz NOT NULL,
    PRIMARY KEY (purpose, tink_id)
);
CREATE UNIQUE INDEX keys_inventory_one_primary ON keys_inventory (purpose) WHERE status = 'primary';

-- Each data subject's key (a Tink key set encrypted under the subject-data key wrapping_key_id).
-- Erasure deletes the row (crypto-shredding); the table is then rewritten so the bytes leave its files.
CREATE TABLE keys_subject_keys (
    subject         uuid        PRIMARY KEY,
    wrapped         bytea       NOT NULL,
    wrapping_key_id bigint      NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX keys_subject_keys_wrapping ON keys_subject_keys (wrapping_key_id);

-- Subjects whose key was erased: lets "erased" be told apart from "tampered". No key material.
CREATE TABLE keys_erased_subjects (
    subject   uuid        PRIMARY KEY,
    erased_at timestamptz NOT NULL
);
