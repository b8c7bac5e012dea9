-- Idempotency-Key records (docs/payments.md, "Idempotency"): the first response to a POST, replayed to a retry with
-- the same key for 24 hours. Written in the transaction of the request's effect, so a record exists exactly when the
-- effect committed. Concurrent requests with one key are told apart by a transaction-scoped advisory lock, not by
-- this table. Rows past expires_at are ignored and deleted by a bounded clean-up job.
CREATE TABLE payments_idempotency (
    scope           text        NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 128),
    idempotency_key text        NOT NULL CHECK (char_length(idempotency_key) BETWEEN 1 AND 255),
    fingerprint     bytea       NOT NULL CHECK (octet_length(fingerprint) = 32),
    status          smallint    NOT NULL CHECK (status BETWEEN 200 AND 499),
    content_type    text        CHECK (char_length(content_type) <= 200),
    location        text        CHECK (char_length(location) <= 2048),
    body            bytea       NOT NULL CHECK (octet_length(body) <= 65536),
    created_at      timestamptz NOT NULL,
    expires_at      timestamptz NOT NULL,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX payments_idempotency_by_expiry ON payments_idempotency (expires_at);

-- An Ed25519 public key belongs to one merchant key, once: never to two merchants, never again after revocation
-- (registration checks first and answers merchant-key-exists; this index holds against concurrent registrations).
CREATE UNIQUE INDEX payments_merchant_key_public_key ON payments_merchant_key (public_key) WHERE public_key IS NOT NULL;
