-- Issue #17: the privacy label a user reads before a mini-program's first launch (docs/privacy.md, "Privacy label").
-- One row per (mini-program, user): the version of the privacy text (core PrivacyDigest of the release's capsule.json
-- privacy declarations) the user last continued past, and when. A release whose privacy text has another digest shows
-- the label again; continuing replaces the row. user_id is the pairwise id the mini-program's session sees, as in the
-- consent ledger (never the super-app's account id).
CREATE TABLE host_privacy_labels (
    app_id         text        NOT NULL CHECK (octet_length(app_id) BETWEEN 1 AND 128),
    user_id        text        NOT NULL CHECK (user_id ~ '^[A-Za-z0-9._@-]{1,128}$'),
    privacy_digest text        NOT NULL CHECK (privacy_digest ~ '^[0-9a-f]{64}$'),
    seen_at        timestamptz NOT NULL,
    PRIMARY KEY (app_id, user_id)
);
