package dev.capsule.server.audit.internal;

import dev.capsule.server.audit.AuditLogHead;
import dev.capsule.server.tlog.LogHead;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** {@link AuditLogHead} from the log's store. */
@Component
class AuditLogHeadReader implements AuditLogHead {
    private final LogStore store;

    AuditLogHeadReader(LogStore store) {
        this.store = store;
    }

    @Override
    public LogHead auditLogHead() {
        Optional<LogStore.StoredCheckpoint> latest = store.latestCheckpoint();
        long entries = store.size();
        return new LogHead(Math.max(entries, latest.map(LogStore.StoredCheckpoint::size).orElse(0L)),
                latest.map(LogStore.StoredCheckpoint::size).orElse(0L), latest.map(LogStore.StoredCheckpoint::note));
    }
}
