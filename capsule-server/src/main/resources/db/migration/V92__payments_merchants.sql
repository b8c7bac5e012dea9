-- Merchants: the backends of a developer organisation's mini-programs (docs/payments.md, "Merchants").
-- The organisation and mini-program ids are the registry module's; no foreign key crosses modules.
CREATE TABLE payments_merchant (
    merchant_id     text        PRIMARY KEY CHECK (merchant_id ~ '^mch_[a-z2-7]{26}$'),
    organisation_id uuid        NOT NULL,
    verified_name   text        NOT NULL CHECK (char_length(verified_name) BETWEEN 1 AND 200),
    enabled         boolean     NOT NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX payments_merchant_by_organisation ON payments_merchant (organisation_id);

-- A mini-program is paid through at most one merchant.
CREATE TABLE payments_merchant_app (
    app_id      text NOT NULL PRIMARY KEY CHECK (char_length(app_id) BETWEEN 3 AND 128),
    merchant_id text NOT NULL REFERENCES payments_merchant
);
CREATE INDEX payments_merchant_app_by_merchant ON payments_merchant_app (merchant_id);

-- Signing keys. The algorithm is pinned by the key. Ed25519: the raw public key; hmac-sha256: the secret sealed with
-- the keys module's FieldEncryption (purpose merchant-secrets, place platform/payments_merchant_key/<key_id>/secret).
CREATE TABLE payments_merchant_key (
    key_id        text        PRIMARY KEY CHECK (key_id ~ '^mk_[a-z2-7]{26}$'),
    merchant_id   text        NOT NULL REFERENCES payments_merchant,
    algorithm     text        NOT NULL CHECK (algorithm IN ('ed25519', 'hmac-sha256')),
    public_key    bytea       CHECK (octet_length(public_key) = 32),
    secret_sealed bytea,
    added_by      text        NOT NULL,
    added_at      timestamptz NOT NULL,
    revoked_by    text,
    revoked_at    timestamptz,
    CHECK ((algorithm = 'ed25519') = (public_key IS NOT NULL)),
    CHECK ((algorithm = 'hmac-sha256') = (secret_sealed IS NOT NULL)),
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL))
);
CREATE INDEX payments_merchant_key_by_merchant ON payments_merchant_key (merchant_id);
