-- API key events in the audit trail (the access module's KeyEvents, written by the audit module):
-- the key's public id, never its secret. Adding a nullable column keeps the table append-only.
ALTER TABLE security_events
    ADD COLUMN api_key_id text CHECK (api_key_id IS NULL OR api_key_id ~ '^[0-9a-f]{16}$');
CREATE INDEX security_events_api_key ON security_events (api_key_id, occurred_at) WHERE api_key_id IS NOT NULL;
