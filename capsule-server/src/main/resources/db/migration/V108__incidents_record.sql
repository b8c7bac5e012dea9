-- The incidents module (docs/incidents.md): a security incident's record, and its notes (append-only). The runbook
-- operations done from an incident are in the audit log (each entry carries the incident's id), not here: the
-- incident's timeline is read from the log. Actors are operator UUIDs.
CREATE TABLE incidents (
    incident_id uuid        PRIMARY KEY,
    title       text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    severity    text        NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    state       text        NOT NULL CHECK (state IN ('open', 'contained', 'closed')),
    opened_by   uuid        NOT NULL,
    opened_at   timestamptz NOT NULL,
    -- the audit log's size when the incident was opened: where its timeline starts reading
    audit_from  bigint      NOT NULL CHECK (audit_from >= 0),
    contained_by uuid,
    contained_at timestamptz,
    closed_by   uuid,
    closed_at   timestamptz,
    CHECK ((contained_by IS NULL) = (contained_at IS NULL)),
    CHECK ((closed_by IS NULL) = (closed_at IS NULL)),
    CHECK ((state = 'open') = (contained_at IS NULL AND closed_at IS NULL)),
    CHECK ((state = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX incidents_by_opened ON incidents (opened_at DESC, incident_id);

CREATE TABLE incident_notes (
    incident_id uuid        NOT NULL REFERENCES incidents,
    seq         integer     NOT NULL CHECK (seq >= 1),
    author      uuid        NOT NULL,
    written_at  timestamptz NOT NULL,
    text        text        NOT NULL CHECK (char_length(text) BETWEEN 1 AND 2000),
    PRIMARY KEY (incident_id, seq)
);

-- Notes are a record: never changed or removed once written.
CREATE FUNCTION incident_notes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'incident notes are append-only';
END $$;
CREATE TRIGGER incident_notes_append_only BEFORE UPDATE OR DELETE ON incident_notes
    FOR EACH ROW EXECUTE FUNCTION incident_notes_append_only();
