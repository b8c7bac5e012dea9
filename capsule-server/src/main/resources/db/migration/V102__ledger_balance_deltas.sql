-- Hot accounts (docs/payments.md "Hot accounts"). Every payment credits its merchant's account; when each transfer
-- locked that row until commit, a merchant's payments ran one at a time. A side of a plain (not pending) transfer that
-- no balance-limit flag checks now adds its amount here instead, without locking the account; the account's balances
-- are its row plus these rows (the view below). Whoever locks an account folds its deltas into the row first (so a
-- locked row holds every committed amount and its CHECK constraints keep holding), and LedgerDeltaFolder folds the rest
-- in the background.
CREATE TABLE ledger_balance_deltas (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id    uuid   NOT NULL REFERENCES ledger_accounts (id),
    debits_posted  bigint NOT NULL CHECK (debits_posted >= 0),
    credits_posted bigint NOT NULL CHECK (credits_posted >= 0),
    CHECK (debits_posted > 0 OR credits_posted > 0)
);
CREATE INDEX ledger_balance_deltas_by_account ON ledger_balance_deltas (account_id);

-- An account with its balances: the row plus its deltas. Every read of a balance goes through this view.
CREATE VIEW ledger_balances AS
SELECT a.id, a.ledger, a.code, a.flags, a.user_data, a.debits_pending,
       a.debits_posted + coalesce(d.debits_posted, 0) AS debits_posted,
       a.credits_pending,
       a.credits_posted + coalesce(d.credits_posted, 0) AS credits_posted,
       a.created_at,
       coalesce(d.deltas, 0) AS deltas
FROM ledger_accounts a
LEFT JOIN LATERAL (
    SELECT sum(x.debits_posted)::bigint AS debits_posted, sum(x.credits_posted)::bigint AS credits_posted, count(*) AS deltas
    FROM ledger_balance_deltas x WHERE x.account_id = a.id) d ON true;
