-- The host (issue #15): mini-programs' wx.setStorage data (the runtime's EncryptedStorage over PostgreSQL).
-- Every row is opaque: area = SHA-256 of (mini-program id, pairwise user id) in hex; name = "keys" (the area's
-- wrapped data keys) or a record's keyed hash in hex; bytes = AES-256-GCM ciphertext. No id, key or value is
-- readable here.
CREATE TABLE host_storage_blobs (
    area  text  NOT NULL CHECK (area ~ '^[0-9a-f]{64}$'),
    name  text  NOT NULL CHECK (name = 'keys' OR name ~ '^[0-9a-f]{64}$'),
    bytes bytea NOT NULL CHECK (octet_length(bytes) <= 4194304),
    PRIMARY KEY (area, name)
);
