package dev.capsule.core.release;

import dev.capsule.core.log.LogVerifier;
import dev.capsule.core.manifest.SemanticVersion;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a monitor checks in the release log's entries, read in order from entry 0 ({@code capsule releases verify}
 * passes it to {@link LogVerifier} as its {@link LogVerifier.EntryCheck}): each entry is a valid release-log entry
 * ({@link ReleaseEntry#parse}), and the history is one the platform's rules allow:
 * <ul>
 *   <li>a mini-program's released versions strictly increase;
 *   <li>a rollout, rollback or revocation names a version released before it (a rollback also its {@code from});
 *   <li>a version's rollout percentage never goes down;
 *   <li>revocation entries' sequence numbers strictly increase.
 * </ul>
 * Memory grows with the number of releases, not of entries.
 *
 * <p>Security guarantees: a log that passes shows no release that reused or lowered a version number, no
 * rollback to or revocation of a version that was never logged, and no shrinking rollout; an entry that is not
 * canonical release-log JSON is reported. Not checked: whether a release was right to approve.
 */
public final class ReleaseLogMonitor implements LogVerifier.EntryCheck {
    private final Map<String, SemanticVersion> highestReleased = new HashMap<>();
    private final Set<String> released = new HashSet<>();
    private final Map<String, Integer> rolloutPercent = new HashMap<>();
    private long revocationSequence;
    private long entries;

    @Override
    public String problem(long index, byte[] bytes) {
        ReleaseEntry entry;
        try {
            entry = ReleaseEntry.parse(bytes);
        } catch (ReleaseFormatException e) {
            return e.getMessage();
        }
        entries++;
        return switch (entry) {
            case ReleaseEntry.Release release -> {
                SemanticVersion version = release.semanticVersion();
                SemanticVersion highest = highestReleased.get(release.appId());
                if (highest != null && !highest.isLowerThan(version)) {
                    yield "release of " + release.appId() + " " + version + " after " + highest + ": versions must strictly increase";
                }
                highestReleased.put(release.appId(), version);
                released.add(key(release.appId(), release.version()));
                yield null;
            }
            case ReleaseEntry.Rollout rollout -> {
                String unknown = unreleased("rollout", rollout.appId(), rollout.version());
                if (unknown != null) {
                    yield unknown;
                }
                Integer before = rolloutPercent.put(key(rollout.appId(), rollout.version()), rollout.percent());
                yield before != null && rollout.percent() < before
                        ? "rollout of " + rollout.appId() + " " + rollout.version() + " shrinks from " + before + "% to " + rollout.percent() + "%"
                        : null;
            }
            case ReleaseEntry.Rollback rollback -> {
                String unknown = unreleased("rollback", rollback.appId(), rollback.version());
                yield unknown != null ? unknown : unreleased("rollback from", rollback.appId(), rollback.from());
            }
            case ReleaseEntry.Revocation revocation -> {
                String unknown = unreleased("revocation", revocation.appId(), revocation.version());
                if (unknown != null) {
                    yield unknown;
                }
                if (revocation.sequence() <= revocationSequence) {
                    yield "revocation sequence " + revocation.sequence() + " after " + revocationSequence + ": sequences must strictly increase";
                }
                revocationSequence = revocation.sequence();
                yield null;
            }
            case ReleaseEntry.MinimumRuntime minimum -> null;
        };
    }

    /** Entries checked so far. */
    public long entries() {
        return entries;
    }

    /** Mini-programs released so far. */
    public int miniPrograms() {
        return highestReleased.size();
    }

    private String unreleased(String what, String appId, String version) {
        return released.contains(key(appId, version)) ? null
                : what + " " + appId + " " + version + ": that version was never released in this log";
    }

    private static String key(String appId, String version) {
        return appId + " " + version;
    }
}
