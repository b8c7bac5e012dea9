-- The double-entry ledger (ledger module, docs/payments.md "The ledger"): TigerBeetle's model on PostgreSQL.
-- Accounts are never edited except their four running balances; transfers and the outcomes of pending transfers are
-- append-only. The balance-limit flags are also CHECK constraints, so not even a faulty writer can overdraw an account.

CREATE TABLE ledger_accounts (
    id              uuid        PRIMARY KEY,
    ledger          integer     NOT NULL CHECK (ledger > 0),
    code            integer     NOT NULL CHECK (code BETWEEN 1 AND 65535),
    -- 1 debits_must_not_exceed_credits, 2 credits_must_not_exceed_debits, 4 closed (LedgerFlags)
    flags           integer     NOT NULL CHECK (flags BETWEEN 0 AND 7 AND flags & 3 <> 3),
    user_data       text        NOT NULL CHECK (char_length(user_data) <= 64),
    debits_pending  bigint      NOT NULL DEFAULT 0 CHECK (debits_pending >= 0),
    debits_posted   bigint      NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
    credits_pending bigint      NOT NULL DEFAULT 0 CHECK (credits_pending >= 0),
    credits_posted  bigint      NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
    created_at      timestamptz NOT NULL,
    CONSTRAINT ledger_accounts_debits_limit
        CHECK (flags & 1 = 0 OR debits_pending::numeric + debits_posted <= credits_posted),
    CONSTRAINT ledger_accounts_credits_limit
        CHECK (flags & 2 = 0 OR credits_pending::numeric + credits_posted <= debits_posted)
);
CREATE INDEX ledger_accounts_by_ledger ON ledger_accounts (ledger, id);

CREATE TABLE ledger_transfers (
    id             uuid        PRIMARY KEY,
    seq            bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    debit_account  uuid        NOT NULL REFERENCES ledger_accounts (id),
    credit_account uuid        NOT NULL REFERENCES ledger_accounts (id),
    -- the amount moved: a post's resolved amount, a void's pending amount
    amount         bigint      NOT NULL CHECK (amount >= 0),
    pending_id     uuid        REFERENCES ledger_transfers (id),
    ledger         integer     NOT NULL CHECK (ledger > 0),
    code           integer     NOT NULL CHECK (code BETWEEN 1 AND 65535),
    -- 1 linked, 2 pending, 4 post_pending_transfer, 8 void_pending_transfer (LedgerFlags)
    flags          integer     NOT NULL CHECK (flags BETWEEN 0 AND 15),
    timeout_millis bigint      NOT NULL CHECK (timeout_millis >= 0),
    user_data      text        NOT NULL CHECK (char_length(user_data) <= 64),
    created_at     timestamptz NOT NULL,
    -- a pending transfer with a timeout: when it voids itself
    expires_at     timestamptz,
    CHECK (debit_account <> credit_account),
    CHECK ((flags & 12 <> 0) = (pending_id IS NOT NULL))
);
CREATE INDEX ledger_transfers_by_debit ON ledger_transfers (debit_account, seq);
CREATE INDEX ledger_transfers_by_credit ON ledger_transfers (credit_account, seq);
CREATE INDEX ledger_transfers_expiring ON ledger_transfers (expires_at) WHERE expires_at IS NOT NULL;

-- What became of a pending transfer: at most one outcome each (the primary key), written by the post or void that
-- resolved it, or by the expiry job.
CREATE TABLE ledger_pending_outcomes (
    pending_id  uuid        PRIMARY KEY REFERENCES ledger_transfers (id),
    outcome     text        NOT NULL CHECK (outcome IN ('posted', 'voided', 'expired')),
    transfer_id uuid        UNIQUE REFERENCES ledger_transfers (id),
    created_at  timestamptz NOT NULL,
    CHECK ((outcome = 'expired') = (transfer_id IS NULL))
);

CREATE FUNCTION ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER ledger_transfers_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_transfers
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_pending_outcomes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_pending_outcomes
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
CREATE TRIGGER ledger_accounts_no_delete BEFORE DELETE OR TRUNCATE ON ledger_accounts
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();

-- An account's identity never changes; only its running balances do.
CREATE FUNCTION ledger_accounts_balances_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id <> OLD.id OR NEW.ledger <> OLD.ledger OR NEW.code <> OLD.code OR NEW.flags <> OLD.flags
            OR NEW.user_data <> OLD.user_data OR NEW.created_at <> OLD.created_at THEN
        RAISE EXCEPTION 'ledger_accounts: only the balances of an account change';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER ledger_accounts_balances_only BEFORE UPDATE ON ledger_accounts
    FOR EACH ROW EXECUTE FUNCTION ledger_accounts_balances_only();
