-- The registry module (docs/registry.md): developer organisations registered by operators, their
-- members (operators who belong to the organisation, for separation of duties), the mini-program ids
-- each owns, their Ed25519 package-signing keys, uploaded package versions with their automated review,
-- and policy exceptions. Actors are access-module actor ids ("operator:<uuid>", "apikey:<id>").
CREATE TABLE registry_organisation (
    organisation_id uuid        PRIMARY KEY,
    legal_name      text        NOT NULL CHECK (char_length(legal_name) BETWEEN 1 AND 200),
    contact         text        NOT NULL CHECK (char_length(contact) BETWEEN 1 AND 200),
    verified        boolean     NOT NULL,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL,
    verified_by     text,
    verified_at     timestamptz,
    CHECK (verified = (verified_by IS NOT NULL)),
    CHECK ((verified_by IS NULL) = (verified_at IS NULL))
);

CREATE TABLE registry_member (
    organisation_id uuid        NOT NULL REFERENCES registry_organisation,
    operator_id     uuid        NOT NULL,
    added_by        text        NOT NULL,
    added_at        timestamptz NOT NULL,
    PRIMARY KEY (organisation_id, operator_id)
);
CREATE INDEX registry_member_by_operator ON registry_member (operator_id);

-- Each mini-program id belongs to exactly one organisation, for good.
CREATE TABLE registry_mini_program (
    app_id          text        PRIMARY KEY CHECK (char_length(app_id) BETWEEN 3 AND 128),
    organisation_id uuid        NOT NULL REFERENCES registry_organisation,
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL
);
CREATE INDEX registry_mini_program_by_organisation ON registry_mini_program (organisation_id);

CREATE TABLE registry_signing_key (
    key_id          text        PRIMARY KEY CHECK (key_id ~ '^[0-9a-f]{64}$'),
    organisation_id uuid        NOT NULL REFERENCES registry_organisation,
    public_key      bytea       NOT NULL CHECK (octet_length(public_key) = 32),
    added_by        text        NOT NULL,
    added_at        timestamptz NOT NULL,
    revoked_by      text,
    revoked_at      timestamptz,
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL))
);
CREATE INDEX registry_signing_key_by_organisation ON registry_signing_key (organisation_id);

-- One uploaded version. Immutable once stored, except its review decision. Versions of an app are
-- unique, and at most one is in review at a time (the partial unique index), whatever the nodes do.
CREATE TABLE registry_version (
    version_id             uuid        PRIMARY KEY,
    app_id                 text        NOT NULL REFERENCES registry_mini_program,
    version                text        NOT NULL CHECK (char_length(version) BETWEEN 5 AND 64),
    state                  text        NOT NULL CHECK (state IN ('in-review', 'approved', 'rejected')),
    package                bytea       NOT NULL,
    package_sha256         bytea       NOT NULL CHECK (octet_length(package_sha256) = 32),
    digest_manifest_sha256 bytea       NOT NULL CHECK (octet_length(digest_manifest_sha256) = 32),
    developer_key_id       text        NOT NULL REFERENCES registry_signing_key,
    findings_json          bytea       NOT NULL,
    findings_html          bytea       NOT NULL,
    findings_sha256        bytea       NOT NULL CHECK (octet_length(findings_sha256) = 32),
    sbom_json              bytea       NOT NULL,
    sbom_sha256            bytea       NOT NULL CHECK (octet_length(sbom_sha256) = 32),
    critical_findings      integer     NOT NULL CHECK (critical_findings >= 0),
    submitted_by           text        NOT NULL,
    submitted_at           timestamptz NOT NULL,
    decided_by             text,
    decided_at             timestamptz,
    decision_reason        text        CHECK (char_length(decision_reason) BETWEEN 1 AND 1000),
    preset                 text        CHECK (preset IN ('financial', 'social', 'utility', 'content', 'internal')),
    UNIQUE (app_id, version),
    CHECK ((state = 'in-review') = (decided_by IS NULL)),
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK ((decided_by IS NULL) = (decision_reason IS NULL)),
    CHECK ((state = 'approved') = (preset IS NOT NULL))
);
CREATE UNIQUE INDEX registry_version_one_in_review ON registry_version (app_id) WHERE state = 'in-review';
CREATE INDEX registry_version_by_submission ON registry_version (submitted_at, version_id);

-- A security officer's exception to the critical-finding rule for one version, with the reason.
CREATE TABLE registry_exception (
    version_id  uuid        PRIMARY KEY REFERENCES registry_version,
    recorded_by text        NOT NULL,
    recorded_at timestamptz NOT NULL,
    reason      text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000)
);

-- Versions are immutable: only the review decision of a version in review may be written, once; no row
-- is ever deleted. Enforced here too, so no code path (or a hand-written statement) can swap a package.
CREATE FUNCTION registry_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'registry_version rows are never deleted';
    END IF;
    IF OLD.state <> 'in-review' THEN
        RAISE EXCEPTION 'registry_version %: a decided version does not change', OLD.version_id;
    END IF;
    IF (NEW.version_id, NEW.app_id, NEW.version, NEW.package, NEW.package_sha256, NEW.digest_manifest_sha256,
        NEW.developer_key_id, NEW.findings_json, NEW.findings_html, NEW.findings_sha256, NEW.sbom_json, NEW.sbom_sha256,
        NEW.critical_findings, NEW.submitted_by, NEW.submitted_at)
       IS DISTINCT FROM
       (OLD.version_id, OLD.app_id, OLD.version, OLD.package, OLD.package_sha256, OLD.digest_manifest_sha256,
        OLD.developer_key_id, OLD.findings_json, OLD.findings_html, OLD.findings_sha256, OLD.sbom_json, OLD.sbom_sha256,
        OLD.critical_findings, OLD.submitted_by, OLD.submitted_at) THEN
        RAISE EXCEPTION 'registry_version %: an uploaded version is immutable', OLD.version_id;
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER registry_version_immutable BEFORE UPDATE OR DELETE ON registry_version
    FOR EACH ROW EXECUTE FUNCTION registry_version_immutable();
