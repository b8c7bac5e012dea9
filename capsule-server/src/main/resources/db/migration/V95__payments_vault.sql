-- The card vault (docs/payments.md, "The card vault"). One row per token. The card number and the name on the card are
-- sealed with the keys module's FieldEncryption (purpose vault, place platform/payments_card/<token>/number|holder, so a
-- sealed number copied to another token's row does not open); the only index on the number is its keyed HMAC tag
-- (purpose card-index, PCI DSS 4.0 req. 3.5.1.1) with the id of the key that made it, so a rotation can re-index.
-- Displayed: BIN, last four, brand, expiry (req. 3.4.1). There is no column for a card code, on purpose (req. 3.3.1).
CREATE TABLE payments_card (
    token         text        PRIMARY KEY CHECK (token ~ '^tok_[a-z2-7]{26}$'),
    merchant_id   text        NOT NULL REFERENCES payments_merchant,
    payer         text        NOT NULL CHECK (payer ~ '^[A-Za-z0-9._@:-]{1,128}$'),
    number_sealed bytea       NOT NULL,
    holder_sealed bytea       NOT NULL,
    index_key_id  bigint      NOT NULL,
    index_tag     text        NOT NULL CHECK (index_tag ~ '^[0-9a-f]{32}$'),
    bin           text        NOT NULL CHECK (bin ~ '^[0-9]{6}$'),
    last4         text        NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
    brand         text        NOT NULL CHECK (brand IN ('visa', 'mastercard', 'unionpay', 'amex', 'jcb', 'discover', 'unknown')),
    expiry_year   smallint    NOT NULL CHECK (expiry_year BETWEEN 2000 AND 2200),
    expiry_month  smallint    NOT NULL CHECK (expiry_month BETWEEN 1 AND 12),
    created_at    timestamptz NOT NULL
);
-- A payer's cards for one merchant (list, duplicate check by tag, the per-payer limit).
CREATE INDEX payments_card_by_scope ON payments_card (merchant_id, payer, created_at DESC);
-- Rotation: what is still under an old key (card-index by key id; vault by the sealed values' key prefix).
CREATE INDEX payments_card_by_index_key ON payments_card (index_key_id);
CREATE INDEX payments_card_by_number_key ON payments_card (substring(number_sealed FROM 1 FOR 5));
CREATE INDEX payments_card_by_holder_key ON payments_card (substring(holder_sealed FROM 1 FOR 5));
