package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.host.internal.PreviewWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview's file watcher: which changes it reports, how it gathers them, what it refuses. */
class PreviewWatcherTest {
    @TempDir
    Path dir;

    private final Semaphore changes = new Semaphore(0);
    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void aSavedFileIsReportedOnceItSettles() throws Exception {
        Files.createDirectories(dir.resolve("pages/index"));
        try (PreviewWatcher watcher = watch(Set.of())) {
            Files.writeString(dir.resolve("pages/index/index.wxml"), "<view/>");
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aBurstOfWritesIsOneRun() throws Exception {
        // Settling times long enough that a loaded machine's twenty writes still fall inside one quiet window.
        try (PreviewWatcher watcher = new PreviewWatcher(dir, Set.of(), () -> {
            runs.incrementAndGet();
            changes.release();
        }, Duration.ofSeconds(2), Duration.ofSeconds(20))) {
            watcher.start();
            for (int i = 0; i < 20; i++) {
                Files.writeString(dir.resolve("app.js"), "// " + i);
            }
            assertThat(changes.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(2_500);
            assertThat(runs.get()).isEqualTo(1);
        }
    }

    @Test
    void foldersCreatedLaterAreWatched() throws Exception {
        try (PreviewWatcher watcher = watch(Set.of())) {
            Files.createDirectories(dir.resolve("pages/new"));
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            changes.drainPermits();
            Files.writeString(dir.resolve("pages/new/new.wxml"), "<view/>");
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            assertThat(watcher.watched()).isEqualTo(3);
        }
    }

    @Test
    void hiddenFilesNodeModulesAndTheDataDirectoryAreNotChanges() throws Exception {
        Files.createDirectories(dir.resolve(".git"));
        Files.createDirectories(dir.resolve("node_modules/x"));
        Files.createDirectories(dir.resolve("capsule-dev-data/pg"));
        try (PreviewWatcher watcher = watch(Set.of(dir.resolve("capsule-dev-data")))) {
            assertThat(watcher.watched()).isEqualTo(1);
            Files.writeString(dir.resolve(".app.js.swp"), "x");
            Files.writeString(dir.resolve("app.js~"), "x");
            Files.writeString(dir.resolve(".git/index"), "x");
            Files.writeString(dir.resolve("node_modules/x/index.js"), "x");
            Files.writeString(dir.resolve("capsule-dev-data/pg/wal"), "x");
            assertThat(changes.tryAcquire(PreviewWatcher.SETTLE_MILLIS_MAX + 400, TimeUnit.MILLISECONDS)).isFalse();
            Files.writeString(dir.resolve("app.js"), "x"); // and the watcher still works
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aTreeWithMoreFoldersThanTheLimitIsRefusedAtStart() throws IOException {
        for (int i = 0; i < PreviewWatcher.DIRECTORIES_MAX; i++) {
            Files.createDirectory(dir.resolve("d" + i));
        }
        assertThatThrownBy(() -> watch(Set.of())).isInstanceOf(IOException.class)
                .hasMessageContaining("more than " + PreviewWatcher.DIRECTORIES_MAX + " folders");
    }

    @Test
    void aFailingRunDoesNotStopTheWatcher() throws Exception {
        try (PreviewWatcher watcher = new PreviewWatcher(dir, Set.of(), () -> {
            runs.incrementAndGet();
            changes.release();
            throw new IllegalStateException("boom");
        })) {
            watcher.start();
            Files.writeString(dir.resolve("a.js"), "1");
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(100);
            Files.writeString(dir.resolve("a.js"), "2");
            assertThat(changes.tryAcquire(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    private PreviewWatcher watch(Set<Path> excluded) throws IOException {
        PreviewWatcher watcher = new PreviewWatcher(dir, excluded, () -> {
            runs.incrementAndGet();
            changes.release();
        });
        watcher.start();
        return watcher;
    }
}
