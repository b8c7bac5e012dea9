-- API keys of host applications (machines). The token itself is never stored: only SHA-256 over it.
-- A key works once approved by a second operator (created_by <> approved_by), until it expires or is
-- revoked. Rows are kept after revocation and expiry, for audit.
CREATE TABLE api_key (
    key_id            text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{16}$'),
    name              text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
    secret_sha256     bytea       NOT NULL CHECK (octet_length(secret_sha256) = 32),
    permissions       text[]      NOT NULL CHECK (cardinality(permissions) >= 1),
    burst_requests    integer     NOT NULL CHECK (burst_requests >= 1),
    refill_per_minute integer     NOT NULL CHECK (refill_per_minute >= 1),
    created_by        text        NOT NULL,
    created_at        timestamptz NOT NULL,
    expires_at        timestamptz NOT NULL CHECK (expires_at > created_at),
    approved_by       text,
    approved_at       timestamptz,
    revoked_by        text,
    revoked_at        timestamptz,
    last_used_at      timestamptz,
    CHECK ((approved_by IS NULL) = (approved_at IS NULL)),
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL)),
    -- The two-person rule, also where no code can forget it.
    CHECK (approved_by IS NULL OR approved_by <> created_by)
);

CREATE INDEX api_key_by_creation ON api_key (created_at, key_id);
