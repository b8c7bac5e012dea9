package dev.capsule.runtime.host;

/**
 * Issues {@code wx.login} codes: one-time codes the mini-program's backend exchanges with the platform
 * for the user's pairwise id. Without a provider, {@code wx.login} is absent.
 */
@FunctionalInterface
public interface IdentityProvider {
    /** A fresh one-time code for (app, user), valid 5 minutes; never the user id itself. */
    String loginCode(String appId, String userId);
}
