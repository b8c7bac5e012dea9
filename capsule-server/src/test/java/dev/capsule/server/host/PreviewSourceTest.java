package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.server.platform.RegionId;
import dev.capsule.server.host.internal.LaunchPlan;
import dev.capsule.server.host.internal.PreviewBuild;
import dev.capsule.server.host.internal.PreviewSource;
import dev.capsule.server.host.internal.ShellPrincipal;
import dev.capsule.server.registry.MiniProgramId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The development preview's launch source: what it builds, what a rebuild restarts, whom it answers. */
class PreviewSourceTest {
    static final MiniProgramId TODO_APP = MiniProgramId.of("com.example.todo");
    static final ShellPrincipal DEMO = new ShellPrincipal(new ShellUserId("demo-1"), Optional.empty(), true, Instant.MAX, new RegionId("local"));

    @TempDir
    Path dir;

    @Test
    void buildsTheDirectoryAsPackDoesAndShowsItUnverified() throws IOException {
        PreviewSource source = todo();
        PreviewSource.Change first = source.rebuild();
        assertThat(first.restart()).containsExactly(TODO_APP);
        PreviewBuild.Built built = first.outcome().built().orElseThrow();
        assertThat(built.entry().name()).isEqualTo("Todo");
        assertThat(built.entry().developer()).isEqualTo("Example Ltd");
        assertThat(built.entry().developerVerified()).isFalse();
        assertThat(built.pkg().hasFile("pages/index/index.wxml")).isTrue();
        assertThat(first.outcome().failure()).isEmpty();
        assertThat(source.openable(DEMO)).containsExactly(built.entry());
        assertThat(source.plan(DEMO, TODO_APP)).get().isInstanceOfSatisfying(LaunchPlan.Preview.class,
                plan -> assertThat(plan.pkg()).isSameAs(built.pkg()));
    }

    @Test
    void aSaveThatChangesNoPackedByteRestartsNothing() throws IOException {
        PreviewSource source = todo();
        source.rebuild();
        long generation = source.current().generation();
        Files.writeString(dir.resolve("notes.unpacked"), "not a file type WeChat uploads");
        assertThat(source.rebuild().restart()).isEmpty();
        assertThat(source.current().generation()).isEqualTo(generation);
    }

    @Test
    void aChangedFileRestartsTheAppsSessionsOnAnewPackage() throws IOException {
        PreviewSource source = todo();
        var before = source.rebuild().outcome().built().orElseThrow().pkg();
        Files.writeString(dir.resolve("pages/about/about.wxml"), "<view>changed</view>");
        PreviewSource.Change change = source.rebuild();
        assertThat(change.restart()).containsExactly(TODO_APP);
        assertThat(change.outcome().generation()).isEqualTo(2);
        assertThat(change.outcome().built().orElseThrow().pkg()).isNotSameAs(before);
        assertThat(new String(change.outcome().built().orElseThrow().pkg().file("pages/about/about.wxml"))).isEqualTo("<view>changed</view>");
    }

    @Test
    void aBuildErrorIsShownAtItsPositionAndTheLastGoodPackageKeepsRunning() throws IOException {
        PreviewSource source = todo();
        var good = source.rebuild().outcome().built().orElseThrow();
        String js = Files.readString(dir.resolve("pages/about/about.js"));
        Files.writeString(dir.resolve("pages/about/about.js"), "Page({\n  data: {,\n});\n");
        PreviewSource.Change broken = source.rebuild();
        assertThat(broken.restart()).isEmpty();
        PreviewBuild.Failure failure = broken.outcome().failure().orElseThrow();
        assertThat(failure.file()).isEqualTo("pages/about/about.js");
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.describe()).startsWith("pages/about/about.js:2:").doesNotContain("Exception").doesNotContain("\n");
        assertThat(broken.outcome().built()).contains(good);
        assertThat(source.plan(DEMO, TODO_APP)).isPresent();
        // The same error again is no news; putting the file back clears it without restarting anything.
        assertThat(source.rebuild().outcome().generation()).isEqualTo(broken.outcome().generation());
        Files.writeString(dir.resolve("pages/about/about.js"), js);
        PreviewSource.Change fixed = source.rebuild();
        assertThat(fixed.restart()).isEmpty();
        assertThat(fixed.outcome().failure()).isEmpty();
        assertThat(fixed.outcome().generation()).isEqualTo(broken.outcome().generation() + 1);
    }

    @Test
    void aTemplateErrorNamesFileLineAndColumn() throws IOException {
        PreviewSource source = todo();
        Files.writeString(dir.resolve("pages/about/about.wxml"), "<view>\n  <text>{{ a + }}</text>\n</view>");
        PreviewBuild.Failure failure = source.rebuild().outcome().failure().orElseThrow();
        assertThat(failure.file()).isEqualTo("pages/about/about.wxml");
        assertThat(failure.line()).isEqualTo(2);
        assertThat(failure.column()).isPositive();
        assertThat(source.current().built()).isEmpty();
        assertThat(source.plan(DEMO, TODO_APP)).isEmpty();
        assertThat(source.openable(DEMO)).isEmpty();
    }

    @Test
    void aChangedAppIdRestartsTheOldAndTheNewApp() throws IOException {
        PreviewSource source = todo();
        source.rebuild();
        Path manifest = dir.resolve("capsule.json");
        Files.writeString(manifest, Files.readString(manifest).replace("com.example.todo", "com.example.todo2"));
        assertThat(source.rebuild().restart()).containsExactlyInAnyOrder(TODO_APP, MiniProgramId.of("com.example.todo2"));
        assertThat(source.plan(DEMO, TODO_APP)).isEmpty();
    }

    @Test
    void aDirectoryWithoutCapsuleJsonRunsUnderTheStrictestManifestAndSaysSo() throws IOException {
        PreviewSource source = todo();
        Files.delete(dir.resolve("capsule.json"));
        PreviewBuild.Built built = source.rebuild().outcome().built().orElseThrow();
        assertThat(built.entry().app().value()).startsWith("dev.local.");
        assertThat(built.warnings()).anySatisfy(w -> assertThat(w).startsWith("no capsule.json: running under the strictest manifest"));
    }

    @Test
    void onlyDemoPrincipalsGetThePreviewAndOnlyOfItsOwnApp() throws IOException {
        PreviewSource source = todo();
        source.rebuild();
        ShellPrincipal granted = new ShellPrincipal(new ShellUserId("u-1"), Optional.empty(), false, Instant.MAX, new RegionId("local"));
        ShellPrincipal otherApp = new ShellPrincipal(new ShellUserId("demo-1"), Optional.of(MiniProgramId.of("com.example.shop")), true,
                Instant.MAX, new RegionId("local"));
        assertThat(source.plan(granted, TODO_APP)).isEmpty();
        assertThat(source.openable(granted)).isEmpty();
        assertThat(source.plan(otherApp, TODO_APP)).isEmpty();
        assertThat(source.plan(DEMO, MiniProgramId.of("com.example.shop"))).isEmpty();
    }

    @Test
    void aLongPollAnswersWhenTheGenerationPassesOrTheWaitEnds() throws Exception {
        PreviewSource source = todo();
        source.rebuild();
        long started = System.nanoTime();
        assertThat(source.awaitAfter(1, 200).generation()).isEqualTo(1);
        assertThat((System.nanoTime() - started) / 1_000_000L).isGreaterThanOrEqualTo(190);
        Thread.ofVirtual().start(() -> {
            sleep(100);
            writeQuietly(dir.resolve("pages/about/about.wxml"), "<view>v2</view>");
            source.rebuild();
        });
        assertThat(source.awaitAfter(1, 20_000).generation()).isEqualTo(2);
        assertThat(source.awaitAfter(0, 0).generation()).isEqualTo(2);
    }

    private PreviewSource todo() throws IOException {
        Path from = Path.of("../examples/todo");
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = dir.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(file, to);
                }
            }
        }
        return new PreviewSource(dir, PackageLimits.DEFAULTS, Clock.systemUTC());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeQuietly(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
