package dev.capsule.server.keys;

import dev.capsule.server.keys.internal.KeysConsole;

/**
 * {@code capsule keys ...}: key management on the server's database, run by the server jar (the
 * {@code ./capsule} launcher routes {@code keys} to it). Usage errors are one line and exit 2, failures
 * one line and exit 1; see {@code capsule keys --help} and docs/keys.md.
 *
 * <p>Security guarantees: it prints key ids, statuses and dates only, never key material; it never
 * generates a master secret; it never re-encrypts or retires anything itself (server nodes do, with
 * every module's ciphertexts in view); its key events reach the audit log through a server node.
 */
public final class KeysCommand {
    private KeysCommand() {
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args) {
        return KeysConsole.run(args, System.out, System.err);
    }
}
