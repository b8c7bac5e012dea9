package dev.capsule.server.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/** Every module's purge runs on the real schema, and docs/retention.md lists exactly the purges the server runs. */
@CapsuleServerTest
class PurgeCatalogueTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9.-]+)` \\|", Pattern.MULTILINE);

    @Autowired
    Purges purges;
    @Autowired
    List<ScheduledTaskHolder> schedulers;

    @Test
    void everyPurgeIsScheduledWithItsIntervalAsBothFirstDelayAndPause() {
        List<String> scheduled = schedulers.stream().flatMap(holder -> holder.getScheduledTasks().stream())
                .map(task -> task.getTask()).filter(task -> task instanceof FixedDelayTask).map(task -> (FixedDelayTask) task)
                .filter(task -> task.getRunnable().toString().startsWith("purge "))
                .map(task -> task.getRunnable() + " " + task.getIntervalDuration() + " " + task.getInitialDelayDuration()).toList();
        assertThat(scheduled).containsExactlyInAnyOrderElementsOf(purges.all().stream()
                .map(purge -> "purge " + purge.name() + " " + purge.interval() + " " + purge.interval()).toList());
    }

    @Test
    void everyPurgeRunsOnTheRealSchema() {
        assertThat(purges.all()).extracting(Purge::name).contains("payments.nonces", "access.rate-buckets", "host.shell-sessions");
        for (Purge purge : purges.all()) {
            assertThat(purges.run(purge.name()).statements()).as(purge.name()).isBetween(1, purge.statementsPerRun());
        }
    }

    @Test
    void docsRetentionListsExactlyThePurgesTheServerRuns() throws IOException {
        String docs = Files.readString(Path.of("..", "docs", "retention.md"));
        Matcher rows = ROW.matcher(docs);
        Stream.Builder<String> listed = Stream.builder();
        while (rows.find()) {
            listed.add(rows.group(1));
        }
        assertThat(listed.build().toList()).containsExactlyInAnyOrderElementsOf(purges.all().stream().map(Purge::name).toList());
    }
}
