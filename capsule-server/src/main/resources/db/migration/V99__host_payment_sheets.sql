-- The host's payment sheet (issue #16). One row per payer and merchant whose payment sheet the payer opened:
-- the shell's card endpoint accepts a card for a merchant only while that merchant's sheet is open for this payer
-- (sheet_open_until), and /shell/wallet lists the payer's cards per merchant from these rows. payer_ref is the
-- pseudonym (keys module, HMAC under the pseudonyms key) of the shell user, never the super-app's id in clear;
-- merchant_name is the verified name the payments module gave the sheet.
CREATE TABLE host_payment_merchants (
    payer_ref        text        NOT NULL CHECK (payer_ref ~ '^[0-9a-f]{32}$'),
    merchant_id      text        NOT NULL CHECK (merchant_id ~ '^mch_[a-z2-7]{26}$'),
    merchant_name    text        NOT NULL CHECK (char_length(merchant_name) BETWEEN 1 AND 200),
    sheet_open_until timestamptz,
    last_opened_at   timestamptz NOT NULL,
    PRIMARY KEY (payer_ref, merchant_id)
);
