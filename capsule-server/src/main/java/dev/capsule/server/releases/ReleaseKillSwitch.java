package dev.capsule.server.releases;

import dev.capsule.server.registry.MiniProgramId;

/**
 * The kill switch from another module (the incidents module's runbook): the same revocation
 * {@code POST /api/v1/releases/{appId}/revocations} and the console's kill-switch page make — a {@code revocation} entry
 * in the release log and a new signed revocation list, in one transaction, so every runtime that polls the list stops
 * the version. The caller's endpoint declares {@code releases.killswitch} with step-up, as the releases module's own do.
 * {@link ReleasedPrograms#released} lists what can be revoked.
 *
 * <p>Security guarantees: only a released, unrevoked version can be revoked, once; the reason is one line of at most
 * {@link #REASON_CHARS_MAX} characters (it goes into the public release log); the acting operator is the current
 * request's signed-in operator (never an API key); the revocation and each refusal are audited ({@code release.revoke}).
 */
public interface ReleaseKillSwitch {
    /** A revocation's reason, as the release formats allow it. */
    int REASON_CHARS_MAX = 500;

    /** Revokes {@code version} of {@code app} everywhere; returns the sequence of the revocation list that carries it. */
    long revoke(MiniProgramId app, String version, String reason);
}
