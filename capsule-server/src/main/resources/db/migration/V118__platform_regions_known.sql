-- Every region the installation has had a database for (docs/residency.md, "Retiring a region"), kept in the home
-- region's database: a start without a database for one of them is refused, since the people placed there would not be
-- found and could be placed again in another region. Written by server starts; a retired region's row is deleted by
-- hand after its people are erased.
CREATE TABLE platform_regions_known (
    region        text        PRIMARY KEY CHECK (region ~ '^[a-z][a-z0-9]*(-[a-z0-9]+)*$' AND length(region) <= 32),
    first_started timestamptz NOT NULL DEFAULT now()
);
