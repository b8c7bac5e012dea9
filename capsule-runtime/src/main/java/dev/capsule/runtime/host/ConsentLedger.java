package dev.capsule.runtime.host;

import java.util.Map;
import java.util.Optional;

/** Keeps users' consent decisions per (app, user, scope); decisions are revocable by the host. */
public interface ConsentLedger {
    Optional<Boolean> decision(String appId, String userId, String scope);

    void record(String appId, String userId, String scope, boolean granted);

    /** Every decision for (app, user), scope to granted. */
    Map<String, Boolean> decisions(String appId, String userId);

    void revoke(String appId, String userId, String scope);
}
