package dev.capsule.server.keys;

import java.util.List;

/**
 * Signs with the platform's Ed25519 keys, one key set per {@link SigningPurpose}.
 *
 * <p>Security guarantees: private key bytes never leave the keys module; they are stored only wrapped
 * under the key-encryption key. Signing always uses the purpose's current primary key. Rotation makes a
 * new primary and keeps every earlier public key published, so old signatures keep verifying. Every
 * signature made is counted and key lifecycle changes are written to the audit log.
 */
public interface PlatformSigner {

    /** Signs {@code message} with the purpose's primary key, creating the first key of the purpose if there is none. */
    PlatformSignature sign(SigningPurpose purpose, byte[] message);

    /** The purpose's primary public key, creating the first key of the purpose if there is none. */
    PlatformPublicKey primary(SigningPurpose purpose);

    /** Every public key of the purpose, primary first, then retired ones newest first. */
    List<PlatformPublicKey> publicKeys(SigningPurpose purpose);
}
