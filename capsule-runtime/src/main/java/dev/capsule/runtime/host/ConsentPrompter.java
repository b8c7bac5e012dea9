package dev.capsule.runtime.host;

/** Asks the user, in host UI, whether a mini-program may use a personal-data scope, showing the declared purpose. */
@FunctionalInterface
public interface ConsentPrompter {
    boolean ask(String appId, String userId, String scope, String purpose);

    /** Refuses everything: the safe headless default. */
    ConsentPrompter DENY_ALL = (appId, userId, scope, purpose) -> false;
}
