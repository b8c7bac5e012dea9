-- Refunds, wallet credits and the ledger transfers of each payment (docs/payments.md, "Payment intents"). Rows are
-- only inserted: a refund is new ledger transfers, never an edit of the payment's.
CREATE TABLE payments_refund (
    refund_id   text PRIMARY KEY,
    intent_id   text NOT NULL REFERENCES payments_intent (intent_id),
    merchant_id text NOT NULL REFERENCES payments_merchant (merchant_id),
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    text NOT NULL,
    status      text NOT NULL CHECK (status IN ('succeeded')),
    -- merchant:mch_… or operator:<uuid>
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX payments_refund_intent ON payments_refund (intent_id, created_at);

-- Every ledger transfer a payment made, so the console, the API and a verification find them from the intent.
CREATE TABLE payments_intent_transfer (
    transfer_id uuid PRIMARY KEY,
    intent_id   text NOT NULL REFERENCES payments_intent (intent_id),
    -- charge, hold, capture, release, refund
    purpose     text NOT NULL,
    amount      bigint NOT NULL,
    at          timestamptz NOT NULL
);
CREATE INDEX payments_intent_transfer_intent ON payments_intent_transfer (intent_id, at);

CREATE TABLE payments_wallet_credit (
    credit_id   uuid PRIMARY KEY,
    payer_id    text NOT NULL,
    amount      bigint NOT NULL CHECK (amount > 0),
    currency    text NOT NULL,
    -- apikey:<id> or operator:<uuid>
    created_by  text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX payments_wallet_credit_payer ON payments_wallet_credit (payer_id, created_at DESC);
