package dev.capsule.runtime.host;

import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A consent ledger held in memory, for {@code capsule run}, tests and hosts that persist consent elsewhere: the same
 * semantics as the server's (the {@link ConsentLedger} contract, {@link ConsentLedger.Decision#answers}), the current
 * decisions only (no history), forgotten when the process ends.
 */
public final class InMemoryConsentLedger implements ConsentLedger {
    private final Map<String, SortedMap<String, Decision>> byAppUser = new ConcurrentHashMap<>();
    private final Clock clock;

    public InMemoryConsentLedger() {
        this(Clock.systemUTC());
    }

    public InMemoryConsentLedger(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private SortedMap<String, Decision> of(String appId, String userId) {
        if (appId == null || appId.isEmpty() || userId == null || userId.isEmpty()) {
            throw new IllegalArgumentException("consent is recorded for an app id and a user id");
        }
        return byAppUser.computeIfAbsent(appId.length() + ":" + appId + "/" + userId, k -> Collections.synchronizedSortedMap(new TreeMap<>()));
    }

    @Override
    public Optional<Decision> current(String appId, String userId, String scope) {
        return Optional.ofNullable(of(appId, userId).get(ConsentLedger.requireScope(scope)));
    }

    @Override
    public SortedMap<String, Decision> decisions(String appId, String userId) {
        SortedMap<String, Decision> decisions = of(appId, userId);
        synchronized (decisions) {
            return new TreeMap<>(decisions);
        }
    }

    @Override
    public void record(String appId, String userId, Topic topic, boolean granted) {
        SortedMap<String, Decision> decisions = of(appId, userId);
        synchronized (decisions) {
            if (decisions.containsKey(topic.scope()) || decisions.size() < SCOPES_MAX) {
                decisions.put(topic.scope(), new Decision(topic.scope(), granted ? State.GRANTED : State.DENIED, topic.purpose(),
                        Optional.of(topic.privacy()), clock.instant()));
            }
        }
    }

    @Override
    public boolean withdraw(String appId, String userId, String scope) {
        return change(appId, userId, scope, State.WITHDRAWN);
    }

    @Override
    public boolean allow(String appId, String userId, String scope) {
        return change(appId, userId, scope, State.GRANTED);
    }

    private boolean change(String appId, String userId, String scope, State to) {
        SortedMap<String, Decision> decisions = of(appId, userId);
        synchronized (decisions) {
            Decision now = decisions.get(ConsentLedger.requireScope(scope));
            if (now == null || now.state() == to) {
                return false;
            }
            decisions.put(scope, new Decision(scope, to, now.purpose(), now.privacy(), clock.instant()));
            return true;
        }
    }
}
