-- Payer step-up (issue #16, PayerStepUp): a challenge is bound to one payer and one payment intent and answered at
-- most once (the row is deleted by the answer that uses it, on whichever node). The demo users' TOTP-style codes keep
-- the last accepted time step per payer, so a code is accepted once. payer_ref is the shell user's pseudonym.
CREATE TABLE host_payer_step_ups (
    payer_ref  text        NOT NULL CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    intent_id  text        NOT NULL CHECK (intent_id ~ '^pi_[a-z2-7]{26}$'),
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (payer_ref, intent_id)
);
CREATE INDEX host_payer_step_ups_expiry ON host_payer_step_ups (expires_at);

CREATE TABLE host_payer_code_steps (
    payer_ref  text   NOT NULL PRIMARY KEY CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    last_step  bigint NOT NULL CHECK (last_step >= 0)
);
