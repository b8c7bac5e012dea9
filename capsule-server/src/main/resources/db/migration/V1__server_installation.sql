-- One row per installation: written by the first server node that starts against this database.
-- Its presence is the first-start marker; the singleton key makes a second row impossible.
CREATE TABLE server_installation (
    singleton       boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    installation_id uuid        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
