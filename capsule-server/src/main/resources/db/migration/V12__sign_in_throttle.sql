-- Failed authentication attempts per account and per client address, shared by every node so that
-- backoff holds however requests are spread. Keys are 'account:<sha-256 of the username typed>' and
-- 'ip:<address>': a typed username is never stored (it may be a password typed in the wrong field).
CREATE TABLE sign_in_throttle (
    throttle_key    text        PRIMARY KEY,
    failures        integer     NOT NULL CHECK (failures > 0),
    last_failure_at timestamptz NOT NULL,
    blocked_until   timestamptz
);
