-- Payer step-up (issue #16, PayerStepUp). A challenge is bound to one payer and one payment intent and answered at
-- most once (the row is deleted by the answer that uses it, on whichever node); challenge holds a passkey challenge's
-- random bytes (NULL for a demo user's code). The demo users' TOTP-style codes keep the last accepted time step per
-- payer, so a code is accepted once. Shell users' passkeys keep only public data: the attested credential data
-- (credential id and COSE public key), the origin they were registered on and the signature counter. payer_ref is
-- the shell user's pseudonym (PayerRefs), never the super-app's id in clear.
CREATE TABLE host_payer_step_ups (
    payer_ref  text        NOT NULL CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    intent_id  text        NOT NULL CHECK (intent_id ~ '^pi_[a-z2-7]{26}$'),
    challenge  bytea       CHECK (challenge IS NULL OR octet_length(challenge) = 32),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (payer_ref, intent_id)
);
CREATE INDEX host_payer_step_ups_expiry ON host_payer_step_ups (expires_at);

CREATE TABLE host_payer_code_steps (
    payer_ref  text   NOT NULL PRIMARY KEY CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    last_step  bigint NOT NULL CHECK (last_step >= 0)
);

CREATE TABLE host_payer_passkeys (
    credential_id bytea       NOT NULL PRIMARY KEY CHECK (octet_length(credential_id) BETWEEN 1 AND 1023),
    payer_ref     text        NOT NULL CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    credential    bytea       NOT NULL CHECK (octet_length(credential) <= 4096),
    origin        text        NOT NULL CHECK (char_length(origin) BETWEEN 8 AND 300),
    sign_count    bigint      NOT NULL CHECK (sign_count >= 0),
    created_at    timestamptz NOT NULL
);
CREATE INDEX host_payer_passkeys_payer ON host_payer_passkeys (payer_ref);

CREATE TABLE host_passkey_registrations (
    payer_ref  text        NOT NULL PRIMARY KEY CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    challenge  bytea       NOT NULL CHECK (octet_length(challenge) = 32),
    origin     text        NOT NULL CHECK (char_length(origin) BETWEEN 8 AND 300),
    expires_at timestamptz NOT NULL
);
