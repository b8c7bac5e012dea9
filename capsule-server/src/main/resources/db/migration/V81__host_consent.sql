-- The host (issue #15): users' remembered consent decisions (the runtime's ConsentLedger), per mini-program,
-- user and scope. user_id is the pairwise id the mini-program's session sees (never the super-app's account id).
CREATE TABLE host_consent (
    app_id     text        NOT NULL CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    user_id    text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@-]{1,128}$'),
    scope      text        NOT NULL CHECK (octet_length(scope) BETWEEN 1 AND 64),
    granted    boolean     NOT NULL,
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (app_id, user_id, scope)
);
CREATE INDEX host_consent_user ON host_consent (user_id);
