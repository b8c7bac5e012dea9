-- Data residency (docs/residency.md): the region each end user's data is placed in. A user has a row in the database
-- of their region only (every region's database has this table, like every other); the host writes it at the user's
-- first sign-in and refuses a sign-in that names another region while it exists. Erasure deletes it.
CREATE TABLE host_placements (
    user_id   text PRIMARY KEY,
    placed_at timestamptz NOT NULL DEFAULT now()
);

-- Users who signed in before residency existed are placed where their data already is: this database (the home
-- region's; on a regional database, created empty, these selects find nothing).
INSERT INTO host_placements (user_id)
SELECT user_id FROM host_shell_sessions UNION SELECT user_id FROM host_grants
ON CONFLICT DO NOTHING;
