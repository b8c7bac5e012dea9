-- Token buckets for rate limits, shared by every server node. UNLOGGED: no WAL is written for them
-- (a bucket update does not wait for a disk flush), and after a database crash the table is empty,
-- which only means every bucket starts full again. Times come from the database's clock, so nodes
-- with skewed clocks still agree.
CREATE UNLOGGED TABLE rate_bucket (
    bucket     text             PRIMARY KEY CHECK (char_length(bucket) <= 100),
    tokens     double precision NOT NULL,
    granted    boolean          NOT NULL,
    updated_at timestamptz      NOT NULL
);

CREATE INDEX rate_bucket_by_age ON rate_bucket (updated_at);
