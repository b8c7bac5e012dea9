package dev.capsule.server.host.internal;

import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Optional;

/**
 * Where sessions come from. The session host asks every source bean in {@code @Order} and takes the first answer
 * that is not empty; a source that knows the app but refuses (killed, revoked, rollout excludes the user, the log
 * does not verify) throws {@link LaunchRefusal} with a reason the shell shows.
 */
public interface LaunchSource {
    /** The plan for this user and mini-program, empty when this source does not know it. */
    Optional<LaunchPlan> plan(ShellPrincipal who, MiniProgramId app) throws LaunchRefusal;

    /** Every mini-program this source would open for the user, for the shell's list (bounded by the source). */
    List<CatalogueEntry> openable(ShellPrincipal who);

    /** A launch refused for a reason the user may read: a fixed code and a sentence without guest text. */
    final class LaunchRefusal extends Exception {
        private final String code;

        public LaunchRefusal(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }

        public String code() {
            return code;
        }
    }
}
