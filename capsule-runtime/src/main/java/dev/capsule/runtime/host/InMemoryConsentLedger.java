package dev.capsule.runtime.host;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** A consent ledger held in memory: for tests, the CLI and hosts that persist consent elsewhere. */
public final class InMemoryConsentLedger implements ConsentLedger {
    private final Map<String, Map<String, Boolean>> byAppUser = new ConcurrentHashMap<>();

    private static String key(String appId, String userId) {
        return appId.length() + ":" + appId + "/" + userId;
    }

    @Override
    public Optional<Boolean> decision(String appId, String userId, String scope) {
        return Optional.ofNullable(byAppUser.getOrDefault(key(appId, userId), Map.of()).get(scope));
    }

    @Override
    public void record(String appId, String userId, String scope, boolean granted) {
        byAppUser.computeIfAbsent(key(appId, userId), k -> new ConcurrentHashMap<>()).put(scope, granted);
    }

    @Override
    public Map<String, Boolean> decisions(String appId, String userId) {
        return new TreeMap<>(byAppUser.getOrDefault(key(appId, userId), Map.of()));
    }

    @Override
    public void revoke(String appId, String userId, String scope) {
        byAppUser.getOrDefault(key(appId, userId), new ConcurrentHashMap<>()).remove(scope);
    }
}
