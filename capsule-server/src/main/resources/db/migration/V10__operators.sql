-- Operators: the people who run a Capsule platform (identity module, docs/operators.md).
-- Secrets here are never stored in the clear: the password is an Argon2id hash, the TOTP secrets are
-- sealed (AEAD) under the master key, recovery codes are SHA-256 hashes (docs/operator-auth.md).
CREATE TABLE operators (
    id                         uuid        PRIMARY KEY,
    username                   text        NOT NULL,
    password_hash              text        NOT NULL,
    roles                      text[]      NOT NULL DEFAULT '{}',
    must_change_password       boolean     NOT NULL,
    mfa_enrolled               boolean     NOT NULL DEFAULT false,
    totp_secret_sealed         bytea,
    totp_pending_secret_sealed bytea,
    -- The last TOTP time step accepted: a code at or below it is a replay (RFC 6238 section 5.2).
    totp_last_step             bigint,
    disabled                   boolean     NOT NULL DEFAULT false,
    created_at                 timestamptz NOT NULL,
    password_changed_at        timestamptz,
    CONSTRAINT operators_username_form CHECK (username ~ '^[a-z][a-z0-9._-]{1,62}$'),
    CONSTRAINT operators_roles_known CHECK (roles <@ ARRAY['platform-admin', 'security-officer', 'reviewer',
        'developer', 'auditor', 'support']::text[]),
    CONSTRAINT operators_mfa_has_secret CHECK (NOT mfa_enrolled OR totp_secret_sealed IS NOT NULL)
);
CREATE UNIQUE INDEX operators_username_unique ON operators (username);

-- One row per unused recovery code; using a code deletes its row.
CREATE TABLE operator_recovery_codes (
    operator_id uuid  NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    code_hash   bytea NOT NULL,
    PRIMARY KEY (operator_id, code_hash)
);

-- Proves the master key that seals TOTP secrets is the one this database was set up with, so a node
-- started with another key refuses to start instead of failing every sign-in.
CREATE TABLE identity_sealing_check (
    id     smallint PRIMARY KEY CHECK (id = 1),
    sealed bytea    NOT NULL
);
