-- Issue #17, retention (docs/retention.md, "Policies by data category"): the day each mini-program storage area was
-- last used, so that the purge host.storage-unused can erase the areas of mini-programs a user has not opened for
-- capsule.retention.mini-program-storage (default P1Y). Written when a hosted session starts, at most once per area
-- per day. area = the area's name in host_storage_blobs (SHA-256 of the mini-program and the pairwise user id, hex);
-- subject = the data-subject key that wraps the area's data keys (a name-based UUID of the same pair), so the sweep
-- destroys the key without knowing the user; NULL for an area that existed before this migration and has not been
-- used since (its subject cannot be derived from its name: its blobs are deleted, its key is left).
CREATE TABLE host_storage_use (
    area      text PRIMARY KEY CHECK (area ~ '^[0-9a-f]{64}$'),
    subject   uuid,
    last_used date NOT NULL
);
CREATE INDEX host_storage_use_last_used ON host_storage_use (last_used);

-- Areas that exist now count as used today.
INSERT INTO host_storage_use (area, subject, last_used)
SELECT DISTINCT area, NULL::uuid, current_date FROM host_storage_blobs;
