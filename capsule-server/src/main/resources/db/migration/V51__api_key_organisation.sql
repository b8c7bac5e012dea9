-- An API key may act for one developer organisation of the registry (docs/api-keys.md): set at
-- creation, never changed. The access module keeps it opaque; the registry checks it at every upload.
ALTER TABLE api_key ADD COLUMN organisation_id uuid;
