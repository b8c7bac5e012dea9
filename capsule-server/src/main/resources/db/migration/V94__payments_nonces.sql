-- Nonces of signed merchant requests (docs/payments.md, "Signing requests"): one row per (scope, nonce) until it
-- expires; the primary key makes "first use" atomic across every server node. Expired rows are deleted in bounded
-- batches (NonceCleanup) and may be reused after expiry, when the message that carried them is no longer valid.
CREATE TABLE payments_nonce (
    scope      text        NOT NULL CHECK (char_length(scope) BETWEEN 1 AND 128),
    nonce      text        NOT NULL CHECK (char_length(nonce) BETWEEN 1 AND 128),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (scope, nonce)
);
CREATE INDEX payments_nonce_by_expiry ON payments_nonce (expires_at);
