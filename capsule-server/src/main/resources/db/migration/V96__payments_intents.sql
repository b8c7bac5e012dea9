-- Payment intents (docs/payments.md, "Payment intents"): Stripe's PaymentIntent lifecycle. A row is changed only by
-- a transition of the state machine (IntentStatus), under a row lock, and every transition is also a row of
-- payments_intent_transition; money moves only as ledger transfers (payments_intent_transfer names them).
CREATE TABLE payments_intent (
    intent_id          text PRIMARY KEY,
    prepay_id          text NOT NULL UNIQUE,
    merchant_id        text NOT NULL REFERENCES payments_merchant (merchant_id),
    app_id             text NOT NULL,
    -- the pairwise user id the merchant named (what it knows the payer by), or NULL
    payer_app_user     text,
    -- the platform payer the sheet bound the intent to at its first prepare, or NULL
    payer_id           text,
    status             text NOT NULL CHECK (status IN ('requires_payment_method', 'requires_confirmation',
                            'requires_action', 'processing', 'requires_capture', 'succeeded', 'canceled')),
    amount             bigint NOT NULL CHECK (amount > 0),
    currency           text NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    capture_method     text NOT NULL CHECK (capture_method IN ('automatic', 'manual')),
    amount_capturable  bigint NOT NULL DEFAULT 0 CHECK (amount_capturable >= 0),
    amount_received    bigint NOT NULL DEFAULT 0 CHECK (amount_received >= 0),
    amount_refunded    bigint NOT NULL DEFAULT 0 CHECK (amount_refunded >= 0 AND amount_refunded <= amount_received),
    description        text NOT NULL,
    -- 'wallet' or a tok_ card token
    payment_method     text,
    -- a fixed-vocabulary code of the last failed attempt
    last_error         text,
    -- the acquirer's pending challenge of a requires_action intent
    challenge_id       text,
    -- the number of the current attempt; the acquirer reference is intent_id:attempt
    attempt            integer NOT NULL DEFAULT 0,
    cancellation_reason text,
    metadata           jsonb NOT NULL,
    created_at         timestamptz NOT NULL,
    expires_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX payments_intent_merchant ON payments_intent (merchant_id, created_at DESC, intent_id DESC);
CREATE INDEX payments_intent_created ON payments_intent (created_at DESC, intent_id DESC);
CREATE INDEX payments_intent_expiring ON payments_intent (expires_at)
    WHERE status IN ('requires_payment_method', 'requires_confirmation', 'requires_action');

CREATE TABLE payments_intent_transition (
    intent_id   text NOT NULL REFERENCES payments_intent (intent_id),
    seq         integer NOT NULL,
    from_status text NOT NULL,
    to_status   text NOT NULL,
    -- a fixed-vocabulary code (confirm, acquirer-approved, card-declined, capture, expired…)
    reason      text NOT NULL,
    at          timestamptz NOT NULL,
    PRIMARY KEY (intent_id, seq)
);
