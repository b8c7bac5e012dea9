package dev.capsule.server.releases;

import dev.capsule.server.tlog.LogHead;

/**
 * Where the release transparency log stands: its size and latest signed checkpoint (read-only; for the compliance
 * module's evidence).
 *
 * <p>Security guarantees: reads what is stored and re-signs nothing (a stale checkpoint is shown as stored); the
 * checkpoint is verifiable with {@code capsule releases verify}.
 */
public interface ReleaseLogHead {
    LogHead releaseLogHead();
}
