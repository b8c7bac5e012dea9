-- The identity module's own master-key probe is gone: the keys module checks at start that a node has
-- the installation's master secret and key-encryption key (keys_root), and TOTP secrets are sealed
-- with its operator-secrets keys.
DROP TABLE identity_sealing_check;
