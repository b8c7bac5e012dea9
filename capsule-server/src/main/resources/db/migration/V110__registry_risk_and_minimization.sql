-- Issue #17: the risk assessment and the data-minimization report of a version (docs/registry.md, "Risk assessment"
-- and "Minimization report").
--
-- registry_risk_assessment: the reviewer's answers to the questionnaire (RiskQuestionnaire: closed codes), the profile
--   they derive, the profile approved (registry_version.preset, the release's preset) and the reason for raising it,
--   written in the approval's transaction. One per approved version; never changed or deleted.
-- registry_minimization: the automated review's minimization report (runtime Minimization, JSON capsule-minimization/1:
--   each declared personal-data category and API with whether the code uses it, and the APIs used undeclared), written
--   with the version at upload. Versions uploaded before this migration have none: it is derived from the stored
--   package on reading (the same deterministic analysis). Never changed or deleted.
CREATE TABLE registry_risk_assessment (
    version_id   uuid        PRIMARY KEY REFERENCES registry_version,
    data         text        NOT NULL CHECK (data IN ('none', 'basic', 'identifying', 'special')),
    users        text        NOT NULL CHECK (users IN ('operator-staff', 'invited', 'public')),
    money        text        NOT NULL CHECK (money IN ('none', 'account-information', 'payments')),
    derived      text        NOT NULL CHECK (derived IN ('financial', 'social', 'utility', 'content', 'internal')),
    approved     text        NOT NULL CHECK (approved IN ('financial', 'social', 'utility', 'content', 'internal')),
    raise_reason text        CHECK (char_length(raise_reason) BETWEEN 1 AND 1000),
    assessed_by  text        NOT NULL,
    assessed_at  timestamptz NOT NULL,
    CHECK ((approved = derived) = (raise_reason IS NULL))
);

CREATE TABLE registry_minimization (
    version_id  uuid  PRIMARY KEY REFERENCES registry_version,
    report_json bytea NOT NULL CHECK (octet_length(report_json) BETWEEN 2 AND 1048576)
);

CREATE FUNCTION registry_assessment_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME;
END $$;
CREATE TRIGGER registry_risk_assessment_immutable BEFORE UPDATE OR DELETE ON registry_risk_assessment
    FOR EACH ROW EXECUTE FUNCTION registry_assessment_immutable();
CREATE TRIGGER registry_minimization_immutable BEFORE UPDATE OR DELETE ON registry_minimization
    FOR EACH ROW EXECUTE FUNCTION registry_assessment_immutable();
