package dev.capsule.server.access.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code api_key.last_used_at} current to the minute while bounding writes: a node writes for a
 * key at most once a minute ({@link #WRITE_INTERVAL_NANOS}), and the statement itself writes nothing
 * if another node did so within the minute.
 */
@Component
class LastUseTracker {
    static final long WRITE_INTERVAL_NANOS = 60L * 1_000_000_000L;
    /** Keys remembered per node; past this the memory is dropped (costing at most one write per key). */
    static final int KEYS_REMEMBERED_MAX = 10_000;

    private final ApiKeyStore store;
    private final ConcurrentHashMap<String, Long> lastWrite = new ConcurrentHashMap<>();

    LastUseTracker(ApiKeyStore store) {
        this.store = store;
    }

    void used(String keyId) {
        long now = System.nanoTime();
        Long before = lastWrite.get(keyId);
        if (before != null && now - before < WRITE_INTERVAL_NANOS) {
            return;
        }
        if (lastWrite.size() >= KEYS_REMEMBERED_MAX) {
            lastWrite.clear();
        }
        // Only the thread that moves the mark writes; others racing on the same key skip.
        boolean mine = before == null ? lastWrite.putIfAbsent(keyId, now) == null : lastWrite.replace(keyId, before, now);
        if (mine) {
            store.touch(keyId);
        }
    }
}
