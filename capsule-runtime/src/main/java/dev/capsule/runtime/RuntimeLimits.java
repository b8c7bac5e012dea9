package dev.capsule.runtime;

/**
 * Limits on what one mini-program session may use (spec §4). A host may lower them; the defaults
 * are the spec's. Each breach ends the event (CPU, timers, console, setData) or the session
 * (memory, statement budget: GraalJS cancels the context; session output) with a violation, never the host.
 *
 * @param statementsPerEventMax JavaScript statements one event may run
 * @param eventWallMillisMax wall-clock time one event may run
 * @param eventAllocatedBytesMax bytes the session thread may allocate during one event
 * @param timersPendingMax timers a session may have pending
 * @param consoleBytesPerEventMax console output one event may write
 * @param setDataBytesMax serialized size of one setData change
 * @param pageStackDepthMax pages on the navigation stack
 * @param requestsInFlightMax concurrent wx.request calls
 * @param requestsPerMinuteMax wx.request calls in any 60-second window
 * @param tasksQueuedMax events waiting in a session's queue
 * @param sessionOutputBytesMax bytes of events (console text, page data, every other event's text)
 *     one session may deliver to its {@link EventSink} in its whole life; past it the session ends
 *     with an {@code output} violation
 */
public record RuntimeLimits(
        long statementsPerEventMax,
        long eventWallMillisMax,
        long eventAllocatedBytesMax,
        int timersPendingMax,
        int consoleBytesPerEventMax,
        int setDataBytesMax,
        int pageStackDepthMax,
        int requestsInFlightMax,
        int requestsPerMinuteMax,
        int tasksQueuedMax,
        long sessionOutputBytesMax) {

    public static final long STATEMENTS_PER_EVENT_MAX = 10_000_000;
    public static final long EVENT_WALL_MILLIS_MAX = 2_000;
    public static final long EVENT_ALLOCATED_BYTES_MAX = 64L * 1024 * 1024;
    public static final int TIMERS_PENDING_MAX = 100;
    public static final int CONSOLE_BYTES_PER_EVENT_MAX = 64 * 1024;
    public static final int SET_DATA_BYTES_MAX = 1024 * 1024;
    public static final int PAGE_STACK_DEPTH_MAX = 10;
    public static final int REQUESTS_IN_FLIGHT_MAX = 10;
    public static final int REQUESTS_PER_MINUTE_MAX = 120;
    public static final int TASKS_QUEUED_MAX = 1_000;
    /** Per-event console caps alone let a session print hundreds of megabytes in seconds; this bounds the whole session. */
    public static final long SESSION_OUTPUT_BYTES_MAX = 64L * 1024 * 1024;

    public static final RuntimeLimits DEFAULTS = new RuntimeLimits(STATEMENTS_PER_EVENT_MAX, EVENT_WALL_MILLIS_MAX,
            EVENT_ALLOCATED_BYTES_MAX, TIMERS_PENDING_MAX, CONSOLE_BYTES_PER_EVENT_MAX, SET_DATA_BYTES_MAX, PAGE_STACK_DEPTH_MAX,
            REQUESTS_IN_FLIGHT_MAX, REQUESTS_PER_MINUTE_MAX, TASKS_QUEUED_MAX, SESSION_OUTPUT_BYTES_MAX);

    public RuntimeLimits {
        long[] values = {statementsPerEventMax, eventWallMillisMax, eventAllocatedBytesMax, timersPendingMax, consoleBytesPerEventMax,
            setDataBytesMax, pageStackDepthMax, requestsInFlightMax, requestsPerMinuteMax, tasksQueuedMax, sessionOutputBytesMax};
        long[] defaults = {STATEMENTS_PER_EVENT_MAX, EVENT_WALL_MILLIS_MAX, EVENT_ALLOCATED_BYTES_MAX, TIMERS_PENDING_MAX,
            CONSOLE_BYTES_PER_EVENT_MAX, SET_DATA_BYTES_MAX, PAGE_STACK_DEPTH_MAX, REQUESTS_IN_FLIGHT_MAX, REQUESTS_PER_MINUTE_MAX,
            TASKS_QUEUED_MAX, SESSION_OUTPUT_BYTES_MAX};
        for (int i = 0; i < values.length; i++) {
            if (values[i] <= 0 || values[i] > defaults[i]) {
                throw new IllegalArgumentException("runtime limits must be positive and may be lowered, never raised above the spec's defaults");
            }
        }
    }

    /** Limit by limit, the lower of these and {@code other}: what applies when a launch's policy and the runtime both limit a session. */
    public RuntimeLimits atMost(RuntimeLimits other) {
        return new RuntimeLimits(Math.min(statementsPerEventMax, other.statementsPerEventMax), Math.min(eventWallMillisMax, other.eventWallMillisMax),
                Math.min(eventAllocatedBytesMax, other.eventAllocatedBytesMax), Math.min(timersPendingMax, other.timersPendingMax),
                Math.min(consoleBytesPerEventMax, other.consoleBytesPerEventMax), Math.min(setDataBytesMax, other.setDataBytesMax),
                Math.min(pageStackDepthMax, other.pageStackDepthMax), Math.min(requestsInFlightMax, other.requestsInFlightMax),
                Math.min(requestsPerMinuteMax, other.requestsPerMinuteMax), Math.min(tasksQueuedMax, other.tasksQueuedMax),
                Math.min(sessionOutputBytesMax, other.sessionOutputBytesMax));
    }

    /** A copy with a lower per-event statement budget (tests and hosts that want tighter CPU). */
    public RuntimeLimits withStatementsPerEventMax(long statements) {
        return new RuntimeLimits(statements, eventWallMillisMax, eventAllocatedBytesMax, timersPendingMax, consoleBytesPerEventMax,
                setDataBytesMax, pageStackDepthMax, requestsInFlightMax, requestsPerMinuteMax, tasksQueuedMax, sessionOutputBytesMax);
    }

    /** A copy with a lower per-event wall-clock limit. */
    public RuntimeLimits withEventWallMillisMax(long millis) {
        return new RuntimeLimits(statementsPerEventMax, millis, eventAllocatedBytesMax, timersPendingMax, consoleBytesPerEventMax,
                setDataBytesMax, pageStackDepthMax, requestsInFlightMax, requestsPerMinuteMax, tasksQueuedMax, sessionOutputBytesMax);
    }

    /** A copy with a lower cap on a session's total output. */
    public RuntimeLimits withSessionOutputBytesMax(long bytes) {
        return new RuntimeLimits(statementsPerEventMax, eventWallMillisMax, eventAllocatedBytesMax, timersPendingMax, consoleBytesPerEventMax,
                setDataBytesMax, pageStackDepthMax, requestsInFlightMax, requestsPerMinuteMax, tasksQueuedMax, bytes);
    }
}
