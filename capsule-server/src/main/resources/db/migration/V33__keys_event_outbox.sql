-- Key events from the capsule keys console, which runs without the audit module: written here in the
-- transaction of the change they describe, and published to the audit log by a running server node.
CREATE TABLE keys_event_outbox (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type       text        NOT NULL,
    purpose    text        NOT NULL,
    key_id     text,
    subject    uuid,
    actor      uuid,
    outcome    text        NOT NULL,
    created_at timestamptz NOT NULL
);
