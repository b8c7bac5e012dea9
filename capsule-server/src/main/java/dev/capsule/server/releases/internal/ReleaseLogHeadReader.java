package dev.capsule.server.releases.internal;

import dev.capsule.server.releases.ReleaseLogHead;
import dev.capsule.server.tlog.LogHead;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link ReleaseLogHead} from the release log. */
@Component
class ReleaseLogHeadReader implements ReleaseLogHead {
    private final ReleaseLog log;

    ReleaseLogHeadReader(ReleaseLog log) {
        this.log = log;
    }

    @Override
    public LogHead releaseLogHead() {
        Optional<ReleaseLog.StoredCheckpoint> latest = log.latestCheckpoint();
        long entries = log.tree().size();
        return new LogHead(Math.max(entries, latest.map(ReleaseLog.StoredCheckpoint::size).orElse(0L)),
                latest.map(ReleaseLog.StoredCheckpoint::size).orElse(0L), latest.map(ReleaseLog.StoredCheckpoint::note));
    }
}
