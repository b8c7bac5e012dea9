-- Issue #17, data-subject erasure (docs/privacy.md): the consent history stays append-only for everything the
-- application does, except the erasure of one person, which deletes their decisions. The host's holder sets
-- capsule.erasure = 'on' for its own transaction only (SET LOCAL) around those deletes; UPDATE and TRUNCATE stay
-- refused always. The trigger guards against the application's mistakes; whoever can change settings at will
-- in the database can drop triggers too (SECURITY.md).
CREATE OR REPLACE FUNCTION host_consent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('capsule.erasure', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
