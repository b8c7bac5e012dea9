package dev.capsule.server.advisories;

import dev.capsule.server.advisories.internal.OsvConsole;

/**
 * {@code capsule osv import FILE.zip | status}: imports an OSV export into the server's advisory store, run by the
 * server jar on the server's database like {@code capsule keys} (the {@code ./capsule} launcher routes {@code osv} to
 * it). Usage errors are one line and exit 2, failures one line and exit 1; see docs/supply-chain.md.
 *
 * <p>The module's API for other modules is the {@link dev.capsule.core.osv.AdvisorySource} bean it provides: the
 * imported advisories by (ecosystem, name).
 *
 * <p>Security guarantees: the import streams the file with bounded memory and refuses zip bombs
 * ({@link dev.capsule.core.osv.OsvExport}); re-importing never replaces an advisory with an older or equal copy; the
 * advisory source refuses lookups until an import has completed (fail closed).
 */
public final class OsvCommand {
    private OsvCommand() {
    }

    /** Runs the command and returns its exit code. */
    public static int run(String[] args) {
        return OsvConsole.run(args, System.out, System.err);
    }
}
