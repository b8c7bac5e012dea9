package dev.capsule.runtime;

/**
 * Limits on worker processes (the {@link Isolation#PROCESS} tier). Each worker runs one session.
 *
 * @param heapMegabytesMax Java heap of one worker; the worker exits when it runs out
 * @param workersMax workers alive at once, busy and ready together; a launch beyond it fails
 * @param readyWorkers pre-started workers kept waiting for a launch
 * @param readyIdleMillisMax a ready worker unused this long is retired (the next launch starts fresh ones)
 * @param startMillisMax time a worker may take from process start to HELLO
 * @param cpuSecondsMax CPU time one worker may use in all (RLIMIT_CPU)
 * @param addressSpaceMegabytesMax virtual memory of one worker (RLIMIT_AS)
 * @param openFilesMax file descriptors of one worker (RLIMIT_NOFILE)
 * @param processesMax processes and threads of the worker's user (RLIMIT_NPROC; not enforced for root)
 * @param memoryMegabytesMax memory of the worker and everything it starts, page cache and tmpfs included (cgroup)
 * @param tasksMax processes and threads of the worker and everything it starts (cgroup pids)
 * @param cpuPercentMax CPU share of the worker and everything it starts, 100 = one core (cgroup CPU quota)
 * @param warmUp whether a new worker runs the engine and session warm-ups before it reports ready. On
 *     (the default) for a pool that keeps ready workers: the warm-ups run ahead of any launch, and a
 *     pooled launch then costs what a launch costs in a warm process. Off for a host that starts one
 *     worker for one session at once (the CLI's {@code run}): the warm-ups would be on its critical
 *     path (about 0.8 s of 2.3 s, docs/benchmarks.md). Off is safe: in-process, the engine warm-up
 *     keeps one guest from breaking class initialisation for every later session, but a worker runs
 *     one session, so such a guest breaks only its own worker (an {@code engine} violation).
 */
public record WorkerLimits(
        int heapMegabytesMax,
        int workersMax,
        int readyWorkers,
        long readyIdleMillisMax,
        long startMillisMax,
        long cpuSecondsMax,
        long addressSpaceMegabytesMax,
        int openFilesMax,
        int processesMax,
        int memoryMegabytesMax,
        int tasksMax,
        int cpuPercentMax,
        boolean warmUp) {

    public static final int HEAP_MEGABYTES_MAX = 256;
    public static final int WORKERS_MAX = 16;
    public static final int READY_WORKERS = 1;
    public static final long READY_IDLE_MILLIS_MAX = 5 * 60_000;
    public static final long START_MILLIS_MAX = 60_000;
    public static final long CPU_SECONDS_MAX = 3_600;
    public static final long ADDRESS_SPACE_MEGABYTES_MAX = 4_096;
    public static final int OPEN_FILES_MAX = 1_024;
    public static final int PROCESSES_MAX = 4_096;
    public static final int MEMORY_MEGABYTES_MAX = 768;
    public static final int TASKS_MAX = 256;
    public static final int CPU_PERCENT_MAX = 100;

    public static final WorkerLimits DEFAULTS = new WorkerLimits(HEAP_MEGABYTES_MAX, WORKERS_MAX, READY_WORKERS, READY_IDLE_MILLIS_MAX,
            START_MILLIS_MAX, CPU_SECONDS_MAX, ADDRESS_SPACE_MEGABYTES_MAX, OPEN_FILES_MAX, PROCESSES_MAX, MEMORY_MEGABYTES_MAX, TASKS_MAX,
            CPU_PERCENT_MAX, true);

    public WorkerLimits {
        if (heapMegabytesMax < 64 || workersMax < 1 || readyWorkers < 0 || readyWorkers > workersMax || readyIdleMillisMax < 1
                || startMillisMax < 1 || cpuSecondsMax < 1 || addressSpaceMegabytesMax < heapMegabytesMax || openFilesMax < 64
                || processesMax < 64 || memoryMegabytesMax < heapMegabytesMax + 256 || tasksMax < 64 || cpuPercentMax < 10) {
            throw new IllegalArgumentException("worker limits out of range: heap at least 64 MB, at least one worker,"
                    + " ready workers at most the maximum, address space at least the heap, at least 64 files and processes,"
                    + " memory at least the heap plus 256 MB, at least 64 tasks and 10 % of a core");
        }
    }

    /** A copy with another heap cap; the worker's memory cap grows with it when it would be too small. */
    public WorkerLimits withHeapMegabytesMax(int megabytes) {
        return new WorkerLimits(megabytes, workersMax, readyWorkers, readyIdleMillisMax, startMillisMax, cpuSecondsMax,
                Math.max(addressSpaceMegabytesMax, megabytes), openFilesMax, processesMax, Math.max(memoryMegabytesMax, megabytes + 512),
                tasksMax, cpuPercentMax, warmUp);
    }

    public WorkerLimits withReadyIdleMillisMax(long millis) {
        return new WorkerLimits(heapMegabytesMax, workersMax, readyWorkers, millis, startMillisMax, cpuSecondsMax,
                addressSpaceMegabytesMax, openFilesMax, processesMax, memoryMegabytesMax, tasksMax, cpuPercentMax, warmUp);
    }

    public WorkerLimits withWorkers(int max, int ready) {
        return new WorkerLimits(heapMegabytesMax, max, ready, readyIdleMillisMax, startMillisMax, cpuSecondsMax,
                addressSpaceMegabytesMax, openFilesMax, processesMax, memoryMegabytesMax, tasksMax, cpuPercentMax, warmUp);
    }

    /** A copy whose new workers run (or skip) the warm-ups before they report ready; see {@code warmUp}. */
    public WorkerLimits withWarmUp(boolean on) {
        return new WorkerLimits(heapMegabytesMax, workersMax, readyWorkers, readyIdleMillisMax, startMillisMax, cpuSecondsMax,
                addressSpaceMegabytesMax, openFilesMax, processesMax, memoryMegabytesMax, tasksMax, cpuPercentMax, on);
    }
}
