-- The registry module (docs/registry.md, docs/incidents.md): a developer organisation suspended during an incident.
-- A row means suspended now: its API keys and its members' uploads are refused (problem organisation-suspended) until
-- an operator lifts it, which deletes the row (the audit log keeps both steps). It does not stop releases: the kill
-- switch does. Actors are access-module actor ids ("operator:<uuid>").
CREATE TABLE registry_organisation_suspension (
    organisation_id uuid        PRIMARY KEY REFERENCES registry_organisation,
    reason          text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 500),
    suspended_by    text        NOT NULL,
    suspended_at    timestamptz NOT NULL
);
