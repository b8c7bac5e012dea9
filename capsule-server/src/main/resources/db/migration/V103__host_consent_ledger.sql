-- Issue #17: the consent ledger (docs/privacy.md, "Consent"). Replaces host_consent (V81), which kept one row per
-- (mini-program, user, scope), overwritten and deleted on revocation. Now every decision is appended to a history that is
-- never changed (granted, denied or withdrawn; the purpose text shown; the version of the privacy text it was made
-- under; how it was made; when), and host_consent_current points at each scope's latest decision.
-- user_id is the pairwise id the mini-program's session sees (never the super-app's account id).
CREATE TABLE host_consent_events (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    app_id         text        NOT NULL CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    user_id        text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@-]{1,128}$'),
    scope          text        NOT NULL CHECK (scope ~ '^[A-Za-z0-9._:-]{1,64}$'),
    decision       text        NOT NULL CHECK (decision IN ('granted', 'denied', 'withdrawn')),
    -- The purpose text shown with the question (ConsentLedger.PURPOSE_CHARS_MAX); empty for a decision migrated below.
    purpose        text        NOT NULL CHECK (char_length(purpose) <= 2000),
    -- core PrivacyDigest of the mini-program's privacy declarations; NULL for a migrated decision, which therefore
    -- answers nothing: the user is asked again.
    privacy_digest text        CHECK (privacy_digest ~ '^[0-9a-f]{64}$'),
    via            text        NOT NULL CHECK (via IN ('prompt', 'settings', 'migrated')),
    decided_at     timestamptz NOT NULL,
    UNIQUE (id, app_id, user_id, scope)
);
CREATE INDEX host_consent_events_app_user ON host_consent_events (app_id, user_id);

-- The latest decision per (mini-program, user, scope): the row the runtime reads on every personal-data call. The
-- composite key makes it point only at an event of its own (mini-program, user, scope).
CREATE TABLE host_consent_current (
    app_id   text   NOT NULL,
    user_id  text   NOT NULL,
    scope    text   NOT NULL,
    event_id bigint NOT NULL UNIQUE,
    PRIMARY KEY (app_id, user_id, scope),
    FOREIGN KEY (event_id, app_id, user_id, scope) REFERENCES host_consent_events (id, app_id, user_id, scope)
);

-- The history is append-only, enforced here whatever the application does.
CREATE FUNCTION host_consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER host_consent_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON host_consent_events
    FOR EACH STATEMENT EXECUTE FUNCTION host_consent_append_only();
CREATE TRIGGER host_consent_current_no_delete BEFORE DELETE OR TRUNCATE ON host_consent_current
    FOR EACH STATEMENT EXECUTE FUNCTION host_consent_append_only();

-- A scope's current decision only moves forward, to a later event of the same scope.
CREATE FUNCTION host_consent_current_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.app_id <> OLD.app_id OR NEW.user_id <> OLD.user_id OR NEW.scope <> OLD.scope OR NEW.event_id <= OLD.event_id THEN
        RAISE EXCEPTION 'host_consent_current: a scope''s current decision only moves to a later decision';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER host_consent_current_forward BEFORE UPDATE ON host_consent_current
    FOR EACH ROW EXECUTE FUNCTION host_consent_current_forward();

-- Existing decisions are kept, as made "before purposes were recorded": no purpose text and no privacy digest, so each
-- answers nothing and the user is asked once more (with the purpose shown), while the settings page still lists it.
INSERT INTO host_consent_events (app_id, user_id, scope, decision, purpose, privacy_digest, via, decided_at)
SELECT app_id, user_id, scope, CASE WHEN granted THEN 'granted' ELSE 'denied' END, '', NULL, 'migrated', decided_at
FROM host_consent
ORDER BY decided_at, app_id, user_id, scope;
INSERT INTO host_consent_current (app_id, user_id, scope, event_id)
SELECT app_id, user_id, scope, id FROM host_consent_events;

DROP TABLE host_consent;
