/**
 * Mini-program storage ({@code wx.setStorage} and friends): one isolated, encrypted area per
 * (mini-program id, user id). The bridge talks to {@link dev.capsule.runtime.storage.Storage}; hosts
 * may plug in their own implementation.
 *
 * <p>Public API: {@link dev.capsule.runtime.storage.Storage}, {@link dev.capsule.runtime.storage.StorageArea},
 * {@link dev.capsule.runtime.storage.StorageInfo}, {@link dev.capsule.runtime.storage.StorageLimits},
 * {@link dev.capsule.runtime.storage.StorageException}; the default implementation
 * {@link dev.capsule.runtime.storage.EncryptedStorage} (Tink AES-256-GCM under per-area keys wrapped by
 * a host master key) and {@link dev.capsule.runtime.storage.LocalMasterKey} (a development master key
 * in a local file).
 *
 * <p>On disk ({@code EncryptedStorage.inDirectory}):
 * <pre>
 * dir/                                   700
 *   &lt;sha256(LP(label, appId, userId))&gt;/  700   one per area
 *     area.keys                          600   LP(wrapped AEAD keyset, wrapped PRF keyset)
 *     &lt;hex HMAC-SHA256(prfKey, key)&gt;.record 600  AEAD(LP(key, value), ad = LP(label, appId, userId, recordId))
 * </pre>
 * LP is a 4-byte big-endian length before each part. No id, key or value appears in a name or in
 * clear in a file.
 */
package dev.capsule.runtime.storage;
