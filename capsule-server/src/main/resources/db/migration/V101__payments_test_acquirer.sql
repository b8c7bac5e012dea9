-- The state of the emulated "test" acquirer (docs/payments.md, "Test cards"). These tables stand for an external
-- bank's own records, not Capsule's: a real acquirer keeps them on its side and Capsule's store of record stays the
-- ledger and the intents. They live in PostgreSQL so that the emulated bank, like a real one, answers the same on
-- every node and after a restart (a capture on another node finds the authorization). Nothing here is a card number:
-- at most the last four digits.

-- One authorization per acquirer reference (intent:attempt, or a card verification's reference), idempotent.
CREATE TABLE payments_test_acquirer_authorization (
    reference       text        PRIMARY KEY CHECK (char_length(reference) BETWEEN 1 AND 200),
    result          text        NOT NULL CHECK (result IN ('approved', 'declined', 'challenge', 'timed-out')),
    result_value    text        CHECK (char_length(result_value) <= 100),
    amount          bigint      NOT NULL CHECK (amount >= 0),
    capture_at_once boolean     NOT NULL,
    card_last4      text        NOT NULL CHECK (card_last4 ~ '^[0-9]{0,4}$'),
    challenge_id    text        CHECK (char_length(challenge_id) <= 100),
    captured        bigint      NOT NULL CHECK (captured >= 0 AND captured <= amount),
    released        boolean     NOT NULL,
    timeouts        integer     NOT NULL CHECK (timeouts >= 0),
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((result = 'timed-out') = (result_value IS NULL))
);

-- One refund per refund reference, idempotent: the first answer is the answer.
CREATE TABLE payments_test_acquirer_refund (
    refund_reference text        PRIMARY KEY CHECK (char_length(refund_reference) BETWEEN 1 AND 200),
    reference        text        NOT NULL,
    result           text        NOT NULL CHECK (result IN ('approved', 'declined')),
    result_value     text        NOT NULL CHECK (char_length(result_value) <= 100),
    amount           bigint      NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
