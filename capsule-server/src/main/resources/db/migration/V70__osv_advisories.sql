-- Imported OSV advisories (issue #12, module advisories, docs/supply-chain.md).
--
-- osv_advisories: one row per advisory id, the newest `modified` kept (an import never replaces a row with an
--   older or equal copy). `document` is the advisory's JSON exactly as imported (already parsed and checked by
--   OsvParser); lookups parse it again. `withdrawn` is copied out so lookups skip withdrawn advisories in SQL.
-- osv_affected: the (ecosystem, name) of every affected[] package of an advisory: the index matching uses.
--   Rewritten with its advisory whenever the advisory changes.
-- osv_imports: one row per `capsule osv import` run, for the operator (counts and outcome); a store with no
--   completed import refuses lookups (fail closed: no advisories is not "no vulnerabilities").
CREATE TABLE osv_advisories (
    id          text        PRIMARY KEY CHECK (char_length(id) BETWEEN 1 AND 128),
    modified    timestamptz NOT NULL,
    withdrawn   timestamptz,
    document    bytea       NOT NULL CHECK (octet_length(document) BETWEEN 2 AND 1048576),
    imported_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE osv_affected (
    ecosystem   text NOT NULL CHECK (char_length(ecosystem) BETWEEN 1 AND 64),
    name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 512),
    advisory_id text NOT NULL REFERENCES osv_advisories (id) ON DELETE CASCADE,
    PRIMARY KEY (ecosystem, name, advisory_id)
);
CREATE INDEX osv_affected_advisory ON osv_affected (advisory_id);

CREATE TABLE osv_imports (
    id          bigserial   PRIMARY KEY,
    file_name   text        NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    file_sha256 bytea       CHECK (octet_length(file_sha256) = 32),
    started_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at timestamptz,
    outcome     text        NOT NULL CHECK (outcome IN ('running', 'completed', 'failed')),
    entries     integer     NOT NULL DEFAULT 0 CHECK (entries >= 0),
    inserted    integer     NOT NULL DEFAULT 0 CHECK (inserted >= 0),
    updated     integer     NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged   integer     NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    refused     integer     NOT NULL DEFAULT 0 CHECK (refused >= 0),
    withdrawn   integer     NOT NULL DEFAULT 0 CHECK (withdrawn >= 0),
    failure     text        CHECK (char_length(failure) <= 1024)
);
