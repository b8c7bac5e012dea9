package dev.capsule.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where a load run's time went, beside its throughput: the CPU the driver's JVM (server and clients) and the
 * PostgreSQL server processes used, and what PostgreSQL's busy backends were waiting for, sampled from
 * {@code pg_stat_activity}. CPU per transaction changes far less with a busy machine than throughput does, so it is the
 * number to compare across runs on the shared machine; the wait events say whether the database's time is spent
 * working, flushing the WAL or queueing for a row lock.
 */
final class RunProbe {
    /** How often the busy backends are sampled. */
    static final long SAMPLE_INTERVAL_MILLIS = 50;
    /** Most distinct wait events kept (the rest are counted as "other"). */
    static final int WAIT_EVENTS_MAX = 64;
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    /** CPU used so far, in milliseconds. */
    record Cpu(double jvmMillis, double postgresMillis) {
        Cpu minus(Cpu earlier) {
            return new Cpu(jvmMillis - earlier.jvmMillis, postgresMillis - earlier.postgresMillis);
        }
    }

    private RunProbe() {
    }

    /**
     * The JVM's CPU time, and that of the PostgreSQL server whose data directory is {@code data}: its postmaster (from
     * {@code postmaster.pid}; pg_ctl detaches it from this JVM) and the postmaster's children (backends, WAL writer,
     * checkpointer). A backend that exited between two readings loses its time, so the pool's long-lived connections
     * are what this counts.
     */
    static Cpu cpu(Path data) {
        double jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e6;
        double postgres = 0;
        try {
            long pid = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().strip());
            Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
            if (postmaster.isPresent()) {
                // The postmaster's own time and its exited children's (a pgbench connection's backend is gone by the
                // second reading; the postmaster reaped it into cutime/cstime), plus its live children's.
                postgres = ticksMillis(postmaster.get(), true) + postmaster.get().children().mapToDouble(p -> ticksMillis(p, false)).sum();
            }
        } catch (IOException | RuntimeException e) {
            postgres = Double.NaN;
        }
        return new Cpu(jvm, postgres);
    }

    /** utime + stime (+ cutime + cstime) of a process from /proc (ProcessHandle.Info's total CPU is not filled in for other processes' children). */
    private static double ticksMillis(ProcessHandle process, boolean withReapedChildren) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (state): utime is field 14, stime field 15.
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            if (withReapedChildren) {
                ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
            }
            return ticks * 1000.0 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException gone) {
            return 0;
        }
    }

    /** Samples the busy backends of one database until {@link #stop()}; a thread of its own. */
    static final class Waits implements AutoCloseable {
        private final Map<String, Long> counts = new LinkedHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;
        private long samples;

        Waits(Connection connection, String database) {
            this.thread = Thread.ofPlatform().daemon().name("wait-sampler").start(() -> sample(connection, database));
        }

        private void sample(Connection connection, String database) {
            try (connection; Statement statement = connection.createStatement()) {
                while (running) {
                    try (ResultSet rows = statement.executeQuery("SELECT coalesce(wait_event_type || ':' || wait_event, 'on CPU') FROM pg_stat_activity "
                            + "WHERE datname = '" + database + "' AND state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                        synchronized (counts) {
                            samples++;
                            while (rows.next()) {
                                String event = rows.getString(1);
                                counts.merge(counts.size() < WAIT_EVENTS_MAX || counts.containsKey(event) ? event : "other", 1L, Long::sum);
                            }
                        }
                    }
                    Thread.sleep(SAMPLE_INTERVAL_MILLIS);
                }
            } catch (SQLException | InterruptedException e) {
                // The run ends the sampler by closing; a failed sample ends it early and the report says how many were taken.
            }
        }

        /** "event share%, ..." of the busy backends' samples, most frequent first, with the average number busy. */
        String report() {
            synchronized (counts) {
                long total = counts.values().stream().mapToLong(Long::longValue).sum();
                if (total == 0) {
                    return "no busy backend seen";
                }
                String top = counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(6)
                        .map(e -> String.format(Locale.ROOT, "%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                        .collect(Collectors.joining(", "));
                return String.format(Locale.ROOT, "%.1f busy backends on average (%d samples): %s", total / (double) samples, samples, top);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(1_000);
        }
    }
}
