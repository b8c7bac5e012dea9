-- Security events (audit module): append-only. Rows name operators by id, never by what was typed,
-- and hold no secret, password or code. Issue #6 replaces this store with a Merkle log.
CREATE TABLE security_events (
    id           bigserial   PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    event_type   text        NOT NULL CHECK (event_type ~ '^[a-z][a-z0-9.-]{0,63}$'),
    outcome      text        NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
    actor_id     uuid,
    subject_id   uuid,
    reason       text        CHECK (reason IS NULL OR reason ~ '^[a-z][a-z0-9-]{0,63}$'),
    source_address text      CHECK (source_address IS NULL OR length(source_address) <= 64)
);
CREATE INDEX security_events_subject ON security_events (subject_id, occurred_at);

CREATE FUNCTION security_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'security_events is append-only';
END;
$$;
CREATE TRIGGER security_events_no_update_or_delete BEFORE UPDATE OR DELETE ON security_events
    FOR EACH ROW EXECUTE FUNCTION security_events_append_only();
CREATE TRIGGER security_events_no_truncate BEFORE TRUNCATE ON security_events
    FOR EACH STATEMENT EXECUTE FUNCTION security_events_append_only();
