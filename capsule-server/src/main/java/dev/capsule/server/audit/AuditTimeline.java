package dev.capsule.server.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * A bounded, read-only query of the audit log for an incident's timeline: the entries that carry the incident's id
 * ({@link AuditCorrelation}) and the entries of chosen types written within the incident's window, oldest first, read
 * from the log's own append-only table (what the timeline shows is exactly what the inclusion proofs cover).
 *
 * <p>Security guarantees: read-only; each call scans at most {@link #SCAN_ENTRIES_MAX} entries from its cursor and
 * returns at most {@link #PAGE_ENTRIES_MAX}, so its cost is bounded however long the log; every text an entry holds is
 * escaped with core's {@code SafeText} before it is returned (pages print it through {@code th:text} as well).
 */
public interface AuditTimeline {
    /** Entries one call returns at most. */
    int PAGE_ENTRIES_MAX = 200;
    /** Entries one call scans at most, from its cursor on. */
    int SCAN_ENTRIES_MAX = 100_000;

    /** The number of entries in the log now (the index the next entry will get). */
    long size();

    /**
     * One page of the timeline.
     *
     * @param incident  entries carrying this incident's id are always in it
     * @param fromIndex the cursor: the first index looked at (the log's size when the incident was opened, then each
     *                  page's {@link TimelinePage#next})
     * @param window    entries of {@code types} are in it when written from {@code window.from()} on and, if the window
     *                  is closed, until {@code window.to()}
     * @param types     the types of the window's entries (the incident's own are always in it)
     * @param limit     1 to {@link #PAGE_ENTRIES_MAX}
     */
    TimelinePage timeline(UUID incident, long fromIndex, TimeWindow window, Set<AuditEventType> types, int limit);

    /** From an instant, and until another one if it ended. */
    record TimeWindow(Instant from, Optional<Instant> to) {
        public TimeWindow {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (to.isPresent() && to.get().isBefore(from)) {
                throw new IllegalArgumentException("a window ends after it starts");
            }
        }
    }

    /**
     * One page, oldest first.
     *
     * @param next      the cursor of the next page; empty when the scan reached the log's end
     * @param scannedTo the index after the last entry this call looked at
     */
    record TimelinePage(List<TimelineEntry> entries, OptionalLong next, long scannedTo) {
        public TimelinePage {
            entries = List.copyOf(entries);
            Objects.requireNonNull(next, "next");
        }
    }

    /**
     * One entry as a timeline shows it; every text escaped, empty strings for absent fields.
     *
     * @param underIncident whether the entry carries the incident's id (written by the incident or under it)
     */
    record TimelineEntry(long index, String time, String type, String outcome, String actor, String apiKey, String app,
                         String reason, String detail, boolean underIncident) {
    }
}
