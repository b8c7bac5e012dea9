-- Denials counted rather than queued one by one while the audit queue is over half full (a flood of
-- refused requests must neither fill the queue that actions need nor vanish): one row per reason, so
-- the table never grows with the flood; the audit module turns each row into an access.deny-summary
-- entry once the queue has room again, deleting the row in the same transaction.
CREATE TABLE audit_denial_overflow (
    reason  text        PRIMARY KEY CHECK (reason ~ '^[a-z][a-z0-9-]{0,63}$'),
    denials bigint      NOT NULL CHECK (denials > 0),
    since   timestamptz NOT NULL
);
