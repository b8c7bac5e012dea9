package dev.capsule.server.host.internal;

import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.registry.MiniProgramId;

/**
 * The user id a mini-program's session sees: pairwise (different per mini-program, so two mini-programs cannot join
 * their users), stable for a user and mini-program, and not reversible without the platform's keys.
 */
public interface PairwiseIds {
    /** An id valid for the runtime ({@code CapsuleRuntime.isValidUserId}). */
    String runtimeUserId(MiniProgramId app, ShellUserId user);
}
