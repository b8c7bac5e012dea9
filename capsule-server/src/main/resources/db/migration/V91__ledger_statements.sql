-- The daily balance statement (ledger module): one row per UTC day, whichever node writes it first; the same
-- transaction appends it to the audit log. Append-only.
CREATE TABLE ledger_statements (
    day        date        PRIMARY KEY,
    detail     text        NOT NULL CHECK (char_length(detail) <= 4000),
    created_at timestamptz NOT NULL
);
CREATE TRIGGER ledger_statements_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON ledger_statements
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_append_only();
