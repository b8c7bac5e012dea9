-- Webhooks to merchants per Standard Webhooks (docs/payments.md, "Webhooks").

-- A merchant's receiver. Disabled by the merchant, an operator, a 410 Gone or persistent failure; never deleted,
-- so deliveries keep their endpoint.
CREATE TABLE payments_webhook_endpoint (
    endpoint_id     text        PRIMARY KEY CHECK (endpoint_id ~ '^we_[a-z2-7]{26}$'),
    merchant_id     text        NOT NULL REFERENCES payments_merchant,
    url             text        NOT NULL CHECK (char_length(url) BETWEEN 9 AND 2048 AND url LIKE 'https://%'),
    events          text[]      NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 16),
    enabled         boolean     NOT NULL,
    disabled_reason text        CHECK (disabled_reason IN ('merchant', 'operator', 'gone', 'failing')),
    disabled_by     text,
    disabled_at     timestamptz,
    failing_since   timestamptz,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    CHECK (enabled = (disabled_at IS NULL)),
    CHECK ((disabled_at IS NULL) = (disabled_reason IS NULL))
);
CREATE INDEX payments_webhook_endpoint_by_merchant ON payments_webhook_endpoint (merchant_id);

-- Signing material, one row per version: the HMAC secret and the Ed25519 private key sealed with FieldEncryption
-- (purpose merchant-secrets, place platform/payments_webhook_key/<endpoint>.<version>/{secret,signing-key}), the
-- public key in clear. The current version has no expiry; a rotation gives the previous one an expiry.
CREATE TABLE payments_webhook_key (
    endpoint_id         text        NOT NULL REFERENCES payments_webhook_endpoint,
    version             integer     NOT NULL CHECK (version >= 1),
    secret_sealed       bytea       NOT NULL,
    signing_key_sealed  bytea       NOT NULL,
    public_key          bytea       NOT NULL CHECK (octet_length(public_key) = 32),
    created_at          timestamptz NOT NULL,
    expires_at          timestamptz,
    PRIMARY KEY (endpoint_id, version)
);

-- One event, the same body (and webhook-id) for every endpoint.
CREATE TABLE payments_webhook_message (
    message_id  text        PRIMARY KEY CHECK (message_id ~ '^msg_[a-z2-7]{26}$'),
    merchant_id text        NOT NULL REFERENCES payments_merchant,
    type        text        NOT NULL CHECK (type ~ '^[a-z_]{1,40}(\.[a-z_]{1,40}){1,3}$'),
    body        bytea       NOT NULL CHECK (octet_length(body) <= 65536 + 256),
    created_at  timestamptz NOT NULL
);

-- One message to one endpoint. Workers claim due pending rows with FOR UPDATE SKIP LOCKED and lease them by moving
-- next_attempt_at forward; attempts counts claims, so an attempt cut short by a crash still counts.
CREATE TABLE payments_webhook_delivery (
    message_id      text        NOT NULL REFERENCES payments_webhook_message,
    endpoint_id     text        NOT NULL REFERENCES payments_webhook_endpoint,
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
    attempts        integer     NOT NULL CHECK (attempts >= 0),
    next_attempt_at timestamptz,
    created_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    PRIMARY KEY (message_id, endpoint_id),
    CHECK ((status = 'pending') = (next_attempt_at IS NOT NULL))
);
CREATE INDEX payments_webhook_delivery_due ON payments_webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX payments_webhook_delivery_by_endpoint ON payments_webhook_delivery (endpoint_id, created_at DESC);

-- What each attempt got: the HTTP status or a failure kind, and at most 256 escaped characters of the body.
CREATE TABLE payments_webhook_attempt (
    message_id      text        NOT NULL,
    endpoint_id     text        NOT NULL,
    attempt         integer     NOT NULL CHECK (attempt >= 1),
    attempted_at    timestamptz NOT NULL,
    http_status     integer,
    failure         text        CHECK (char_length(failure) <= 300),
    response_prefix text        CHECK (char_length(response_prefix) <= 256),
    PRIMARY KEY (message_id, endpoint_id, attempt),
    FOREIGN KEY (message_id, endpoint_id) REFERENCES payments_webhook_delivery
);
