-- The host (issue #15): how end users sign in to the shell.
--
-- host_grants: session grants a super-app's backend obtained with an API key (sessions.open). The token is
--   256 random bits; only its SHA-256 is stored. Single use: used_at is set by the exchange, in the same
--   statement that checks it is still null and unexpired. Rows are deleted a day after they expire.
-- host_shell_sessions: shell sessions (the __Host-capsule-shell cookie): the token's SHA-256, the user, the one
--   mini-program the grant allowed (or null), demo or not, the session's CSRF token for the shell's forms, and
--   its expiry. Deleted when they expire or the user signs out.
-- user_id is the super-app's own account id for the user (ShellUserId: 1-128 characters of [A-Za-z0-9._@:-]).
CREATE TABLE host_grants (
    token_hash   bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id      text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@:-]{1,128}$'),
    app_id       text        CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    issued_by    text        NOT NULL CHECK (octet_length(issued_by) BETWEEN 1 AND 200),
    issued_at    timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    used_at      timestamptz,
    CHECK (expires_at > issued_at)
);
CREATE INDEX host_grants_expiry ON host_grants (expires_at);

CREATE TABLE host_shell_sessions (
    token_hash   bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
    user_id      text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@:-]{1,128}$'),
    app_id       text        CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    demo         boolean     NOT NULL,
    csrf_token   text        NOT NULL CHECK (csrf_token ~ '^[A-Za-z0-9_-]{43}$'),
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
CREATE INDEX host_shell_sessions_expiry ON host_shell_sessions (expires_at);
