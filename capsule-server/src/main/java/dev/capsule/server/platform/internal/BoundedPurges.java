package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.RetentionSweep;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.stereotype.Component;

/**
 * Runs every {@link Purge} bean: one fixed-delay task each on Spring's scheduler (first run one interval after start),
 * each statement
 * {@code DELETE … WHERE ctid = ANY(ARRAY(SELECT ctid … WHERE condition LIMIT n FOR UPDATE SKIP LOCKED))} in its own
 * transaction. The ctid list makes the delete a TID scan of exactly the rows the sub-select locked; SKIP LOCKED lets
 * nodes running the same purge take disjoint rows instead of waiting for (or deadlocking with) each other or with the
 * module's own writers. A purge with {@link Purge#afterDelete} runs each statement as {@code DELETE … RETURNING} in a
 * transaction with its action. Every run that deleted rows, and every failed run, is published as a
 * {@link RetentionSweep} for the audit log (one entry per run; a run that deleted nothing publishes nothing).
 *
 * <p>Every region's database has the same tables ({@link Residency}), so a run runs the purge on each of them in turn,
 * the home region's first, with one cutoff from the home database's clock: a region that fails does not stop the others;
 * the run's counters, its {@link Purges.PurgeRun} and its one {@link RetentionSweep} sum the regions, and a failure names
 * the first region that failed. A purge of a control-plane table finds nothing to delete in a regional database.
 */
@Component
@EnableScheduling
class BoundedPurges implements Purges, SchedulingConfigurer {
    static final String DELETED_METRIC = "capsule.retention.deleted";
    static final String FAILURES_METRIC = "capsule.retention.failures";
    private static final Logger log = LoggerFactory.getLogger(BoundedPurges.class);

    private final Residency residency;
    private final ApplicationEventPublisher events;
    private final Map<String, Purge> byName;
    private final Map<String, Counter> deleted;
    private final Map<String, Counter> failures;

    BoundedPurges(Residency residency, ApplicationEventPublisher events, List<Purge> purges, ObjectProvider<MeterRegistry> meters) {
        this.residency = residency;
        this.events = events;
        this.byName = purges.stream().collect(Collectors.toUnmodifiableMap(Purge::name, Function.identity(), (a, b) -> {
            throw new IllegalStateException("two purges are named " + a.name());
        }));
        MeterRegistry registry = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.deleted = counters(registry, DELETED_METRIC, "Rows deleted by retention purges");
        this.failures = counters(registry, FAILURES_METRIC, "Retention purge runs that failed");
    }

    private Map<String, Counter> counters(MeterRegistry registry, String metric, String description) {
        return byName.keySet().stream().collect(Collectors.toUnmodifiableMap(Function.identity(),
                name -> Counter.builder(metric).description(description).tag("purge", name).register(registry)));
    }

    @Override
    public List<Purge> all() {
        return byName.values().stream().sorted(Comparator.comparing(Purge::name)).toList();
    }

    @Override
    public PurgeRun run(String name) {
        Purge purge = byName.get(name);
        if (purge == null) {
            throw new IllegalArgumentException("there is no purge named " + name);
        }
        return run(purge);
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        for (Purge purge : all()) {
            registrar.addFixedDelayTask(new FixedDelayTask(new ScheduledPurge(purge), purge.interval(), purge.interval()));
        }
    }

    /** The scheduled task of one purge (named, so that the scheduler's task list says which purge it is). */
    final class ScheduledPurge implements Runnable {
        private final Purge purge;

        ScheduledPurge(Purge purge) {
            this.purge = purge;
        }

        @Override
        public void run() {
            scheduled(purge);
        }

        @Override
        public String toString() {
            return "purge " + purge.name();
        }
    }

    /** A scheduled run: a failure is one log line (no stack trace: the next run retries) and a count. */
    void scheduled(Purge purge) {
        try {
            PurgeRun run = run(purge);
            if (run.deleted() > 0) {
                log.debug("purge {} deleted {} rows in {} statements", purge.name(), run.deleted(), run.statements());
            }
            if (!run.caughtUp()) {
                log.info("purge {} deleted its most per run ({} rows); the rest goes in later runs", purge.name(), run.deleted());
            }
        } catch (RuntimeException e) {
            failures.get(purge.name()).increment();
            log.warn("purge {} failed ({}{}); it runs again in {} s", purge.name(), e.getClass().getSimpleName(), sqlState(e),
                    purge.interval().toSeconds());
            log.debug("purge {} failure", purge.name(), e);
        }
    }

    /**
     * One run, on every region's database; it publishes a {@link RetentionSweep} when it deleted rows or failed. A failure
     * to publish (the audit queue full or unreachable) fails the run: the rows already deleted stay deleted, and the
     * failure is logged.
     */
    private PurgeRun run(Purge purge) {
        List<RegionalDatabase> databases = residency.databases();
        // One cutoff per run, from the home database's clock: every node agrees, whatever its own clock says.
        OffsetDateTime now = databases.getFirst().jdbc().sql("SELECT clock_timestamp()").query(OffsetDateTime.class).single();
        OffsetDateTime cutoff = now.minus(purge.keptFor());
        String sql = "DELETE FROM " + purge.table() + " WHERE ctid = ANY(ARRAY(SELECT ctid FROM " + purge.table()
                + " WHERE (" + purge.expiredWhen() + ") LIMIT :rows FOR UPDATE SKIP LOCKED))";
        long total = 0;
        int statements = 0;
        boolean caughtUp = true;
        RuntimeException failure = null;
        String failedRegion = null;
        for (RegionalDatabase database : databases) {
            try {
                int statement = 1;
                for (; statement <= purge.statementsPerRun(); statement++) {
                    int rows = statement(purge, database, sql, cutoff);
                    total += rows;
                    statements++;
                    deleted.get(purge.name()).increment(rows);
                    if (rows < purge.rowsPerStatement()) {
                        break;
                    }
                }
                caughtUp &= statement <= purge.statementsPerRun();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                    failedRegion = database.region().value();
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            try {
                events.publishEvent(new RetentionSweep(purge.name(), purge.category(), total, cutoff.toInstant(),
                        Optional.of(failure.getClass().getSimpleName() + sqlState(failure)
                                + (databases.size() > 1 ? ", region " + failedRegion : ""))));
            } catch (RuntimeException unaudited) {
                failure.addSuppressed(unaudited);
            }
            throw failure;
        }
        return swept(purge, cutoff, new PurgeRun(purge.name(), total, statements, caughtUp));
    }

    /**
     * One statement on one region's database: a plain delete, or a delete returning the rows' columns and their action,
     * in one transaction of that database.
     */
    private int statement(Purge purge, RegionalDatabase database, String sql, OffsetDateTime cutoff) {
        JdbcClient jdbc = database.jdbc();
        if (purge.afterDelete().isEmpty()) {
            return jdbc.sql(sql).param("cutoff", cutoff).param("rows", purge.rowsPerStatement()).update();
        }
        Purge.AfterDelete then = purge.afterDelete().get();
        Integer rows = database.transactions().execute(status -> {
            List<Map<String, Object>> gone = jdbc.sql(sql + " RETURNING " + String.join(", ", then.columns()))
                    .param("cutoff", cutoff).param("rows", purge.rowsPerStatement()).query().listOfRows();
            if (!gone.isEmpty()) {
                then.action().deleted(gone);
            }
            return gone.size();
        });
        return rows == null ? 0 : rows;
    }

    private PurgeRun swept(Purge purge, OffsetDateTime cutoff, PurgeRun run) {
        if (run.deleted() > 0) {
            events.publishEvent(new RetentionSweep(purge.name(), purge.category(), run.deleted(), cutoff.toInstant(), Optional.empty()));
        }
        return run;
    }

    private static String sqlState(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return ", SQL state " + sql.getSQLState();
            }
        }
        return "";
    }
}
