package dev.capsule.server.tlog;

import java.util.Optional;

/**
 * Where a Merkle log stands, for evidence: how many entries it holds and its latest signed checkpoint (a C2SP signed
 * note, as the log's own API serves it), if one was signed yet.
 *
 * @param entries          entries in the log now
 * @param checkpointSize   the size the latest checkpoint covers (0 without one)
 * @param signedCheckpoint the latest checkpoint's signed note text
 */
public record LogHead(long entries, long checkpointSize, Optional<String> signedCheckpoint) {
    public LogHead {
        if (entries < 0 || checkpointSize < 0 || checkpointSize > entries) {
            throw new IllegalArgumentException("a checkpoint covers at most the log's entries");
        }
    }
}
