-- The data-residency region this database keeps (docs/residency.md, "Region tags"): written by the first server start
-- against the database, compared at every start after. The singleton key makes a second row impossible; the triggers
-- make the tag permanent, so a database never changes region by an UPDATE (only by dropping the table on purpose).
CREATE TABLE platform_region_tag (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    region    text        NOT NULL CHECK (region ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(region) <= 32),
    tagged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION platform_region_tag_permanent() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'a database''s region tag is permanent (docs/residency.md)';
END;
$$;
CREATE TRIGGER platform_region_tag_no_change BEFORE UPDATE OR DELETE ON platform_region_tag
    FOR EACH STATEMENT EXECUTE FUNCTION platform_region_tag_permanent();
CREATE TRIGGER platform_region_tag_no_truncate BEFORE TRUNCATE ON platform_region_tag
    FOR EACH STATEMENT EXECUTE FUNCTION platform_region_tag_permanent();
