package dev.capsule.server.keys.internal;

import com.google.crypto.tink.Aead;

/**
 * The root of the key hierarchy: a key-encryption key (KEK) that wraps every purpose's key set. A
 * back-end keeps the KEK where it belongs ({@code local}: a keystore encrypted under the master
 * secret; HashiCorp Vault Transit would keep it in Vault and expose this same interface by calling
 * its encrypt and decrypt endpoints).
 *
 * <p>Security guarantees expected of a back-end: the KEK's bytes never appear outside it (only the
 * {@link Aead} is handed out); {@link #kekId()} names the KEK so that nodes with different KEKs are
 * refused at start instead of failing to decrypt later.
 */
interface Kms {
    /** "local" (the only back-end of this build). */
    String backend();

    /** A stable, public name of the KEK ("local:1a2b3c4d"). */
    String kekId();

    /** Encrypts and decrypts key sets under the KEK (associated data binds each to its purpose). */
    Aead keyEncryptionKey();
}
