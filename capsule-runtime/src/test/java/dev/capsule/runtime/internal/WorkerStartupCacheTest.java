package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.WorkerLimits;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker JVM's start-up cache: trained like the build trains it, passed to workers read-only,
 * and only ever a speed-up: a worker starts and runs its warm-up session (a whole mini-program session,
 * before HELLO) with the cache, without one, with a stale one (not passed) and with a corrupt one (the
 * JVM rejects it). The JVM refuses AOT caches for class paths with directories, so the tests run
 * workers on jars made of this module's build output and the test class path's dependency jars.
 */
class WorkerStartupCacheTest {
    private static final WorkerLimits LIMITS = WorkerLimits.DEFAULTS;
    /** The JVM's class-loading log line of a class taken from the AOT cache. */
    private static final String FROM_CACHE = WorkerMain.class.getName() + " source: shared objects file";
    private static final String WORKER_MAIN = WorkerMain.class.getName();

    /** Under target/, not /tmp: a worker's /tmp is its own, so a file under /tmp would not test the bind's read-only-ness. */
    private static Path dir;
    private static String jarClassPath;
    private static Path runtimeJar;
    private static Path cache;

    @BeforeAll
    static void trainACacheOnAJarClassPath() throws Exception {
        dir = Files.createTempDirectory(Path.of(System.getProperty("user.dir"), "target"), "startup-cache");
        List<String> entries = new ArrayList<>();
        for (Path entry : WorkerSandbox.expandedClassPath(System.getProperty("java.class.path"))) {
            if (Files.isDirectory(entry)) {
                Path jar = dir.resolve("dir-" + entries.size() + ".jar");
                ToolProvider tool = ToolProvider.findFirst("jar").orElseThrow();
                assertThat(tool.run(System.out, System.err, "cf", jar.toString(), "-C", entry.toString(), ".")).isZero();
                entries.add(jar.toString());
                if (entry.equals(Path.of(System.getProperty("user.dir"), "target", "classes").toAbsolutePath().normalize())) {
                    runtimeJar = jar;
                }
            } else if (entry.toString().endsWith(".jar")) {
                entries.add(entry.toString());
            }
        }
        assertThat(runtimeJar).as("this module's classes as a jar").isNotNull();
        jarClassPath = String.join(File.pathSeparator, entries);
        cache = dir.resolve("worker.aot");
        withProperties(jarClassPath, null, () -> {
            try {
                WorkerCacheTraining.train(cache, LIMITS);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return null;
        });
        assertThat(cache).isRegularFile();
    }

    @AfterAll
    static void removeTheJarsAndCaches() throws IOException {
                try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Test
    void aWorkerStartsWithTheTrainedCacheBoundReadOnly() throws Exception {
        WorkerSandbox sandbox = sandbox(cache.toString());
        Path real = cache.toRealPath();
        List<String> command = sandbox.command(LIMITS, WORKER_MAIN);
        assertThat(command).contains("-XX:AOTCache=" + real).doesNotContain("-Xshare:auto");
        assertThat(Collections.indexOfSubList(command, List.of("--ro-bind", real.toString(), real.toString())))
                .as("the cache file is bound read-only").isPositive()
                .isLessThan(command.indexOf("--remount-ro"));
        assertThat(Collections.indexOfSubList(command, List.of("--bind", real.toString(), real.toString()))).isEqualTo(-1);

        WorkerRun run = start(sandbox);
        assertThat(run.said()).as("HELLO after engine start and the warm-up session").contains(WorkerProtocol.MAGIC);
        assertThat(run.exit()).isZero();
        assertThat(run.log()).as("classes come from the cache").contains(FROM_CACHE);
    }

    @Test
    void withoutACacheTheWorkerStartsAsBefore() throws Exception {
        WorkerSandbox sandbox = sandbox(dir.resolve("missing.aot").toString());
        List<String> command = sandbox.command(LIMITS, WORKER_MAIN);
        assertThat(command).contains("-Xshare:auto").noneMatch(a -> a.startsWith("-XX:AOTCache"));
        assertThat(String.join(" ", command)).doesNotContain("missing.aot");
        WorkerRun run = start(sandbox);
        assertThat(run.said()).contains(WorkerProtocol.MAGIC);
        assertThat(run.exit()).isZero();
        assertThat(run.log()).doesNotContain(FROM_CACHE);
    }

    @Test
    void aCacheOlderThanAClassPathJarIsNotUsed() throws Exception {
        FileTime built = Files.getLastModifiedTime(runtimeJar);
        try {
            // A jar rebuilt after training (JDK 25.0.3 would run the old jar's classes from the cache).
            Files.setLastModifiedTime(runtimeJar, FileTime.fromMillis(Files.getLastModifiedTime(cache).toMillis() + 60_000));
            WorkerSandbox sandbox = sandbox(cache.toString());
            assertThat(sandbox.command(LIMITS, WORKER_MAIN)).contains("-Xshare:auto").noneMatch(a -> a.startsWith("-XX:AOTCache"));
            WorkerRun run = start(sandbox);
            assertThat(run.said()).contains(WorkerProtocol.MAGIC);
            assertThat(run.exit()).isZero();
            assertThat(run.log()).doesNotContain(FROM_CACHE);
        } finally {
            Files.setLastModifiedTime(runtimeJar, built);
        }
        assertThat(sandbox(cache.toString()).command(LIMITS, WORKER_MAIN)).as("the same cache, current again")
                .contains("-XX:AOTCache=" + cache.toRealPath());
    }

    @Test
    void aCorruptCacheCostsOnlySpeed() throws Exception {
        Path corrupt = dir.resolve("corrupt.aot");
        byte[] noise = new byte[1024 * 1024];
        new Random(11).nextBytes(noise);
        Files.write(corrupt, noise);
        WorkerRun run = start(sandbox(corrupt.toString()));
        assertThat(run.said()).contains(WorkerProtocol.MAGIC);
        assertThat(run.exit()).isZero();
        assertThat(run.log()).doesNotContain(FROM_CACHE);
    }

    @Test
    void aSandboxedWorkerCanReadButNeitherWriteNorReplaceTheCache() throws Exception {
        Path file = dir.resolve("probe.aot");
        byte[] content = "not a real cache".getBytes(StandardCharsets.UTF_8);
        Files.write(file, content);
        WorkerSandbox sandbox = sandbox(file.toString());
        assertThat(probe(sandbox, true, "read", file.toString())).isEqualTo("read " + content.length);
        assertThat(probe(sandbox, true, "write", file.toString())).startsWith("blocked");
        // The cache's directory inside the sandbox is the read-only root's, or the worker's own private
        // /tmp when the file lies under /tmp (a checkout there, as on some CI machines): a new file there
        // vanishes with the worker. Either way the host's directory gets nothing.
        String sibling = probe(sandbox, true, "write", file.resolveSibling("probe.aot.new").toString());
        assertThat(sibling).startsWith(file.toRealPath().startsWith("/tmp") ? "wrote" : "blocked");
        assertThat(Files.readAllBytes(file)).isEqualTo(content);
        assertThat(file.resolveSibling("probe.aot.new")).doesNotExist();
        // Positive control: the same probe outside the sandbox can write it.
        assertThat(probe(sandbox, false, "write", file.toString())).isEqualTo("wrote");
    }

    @Test
    void onlyARegularFileIsEverUsedAsACache() throws IOException {
        Path file = Files.writeString(dir.resolve("file.aot"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link.aot"), file);
        Path javaHome = Path.of(System.getProperty("java.home"));
        assertThat(WorkerSandbox.aotCache(file.toString(), javaHome, List.of())).contains(file.toRealPath());
        assertThat(WorkerSandbox.aotCache(link.toString(), javaHome, List.of())).as("a link is followed to the file it names")
                .contains(file.toRealPath());
        assertThat(WorkerSandbox.aotCache(dir.toString(), javaHome, List.of())).as("a directory would show its contents").isEmpty();
        assertThat(WorkerSandbox.aotCache(dir.resolve("absent.aot").toString(), javaHome, List.of())).isEmpty();
        assertThat(WorkerSandbox.aotCache("", javaHome, List.of())).isEmpty();
        assertThat(WorkerSandbox.aotCache(null, javaHome, List.of())).isEmpty();
        Files.setLastModifiedTime(file, FileTime.fromMillis(0));
        assertThat(WorkerSandbox.aotCache(file.toString(), javaHome, List.of())).as("older than the JDK").isEmpty();
    }

    private record WorkerRun(String said, int exit, String log) {}

    /** Runs WorkerMain in the sandbox with its input closed: it starts, warms up, says HELLO and exits. */
    private static WorkerRun start(WorkerSandbox sandbox) throws Exception {
        List<String> command = new ArrayList<>(sandbox.command(LIMITS, WORKER_MAIN));
        command.add(command.lastIndexOf(WORKER_MAIN), "-Xlog:class+load=info:stderr");
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        var err = new ByteArrayOutputStream();
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException e) {
                // the process ended
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("worker finished").isTrue();
        drain.join();
        return new WorkerRun(new String(out, StandardCharsets.UTF_8), p.exitValue(), err.toString(StandardCharsets.UTF_8));
    }

    private static String probe(WorkerSandbox sandbox, boolean sandboxed, String... args) throws Exception {
        List<String> command = sandbox.command(LIMITS, SandboxProbe.class.getName(), args);
        if (!sandboxed) {
            command = command.subList(command.indexOf("--") + 1, command.size());
            command = command.subList(command.indexOf("--") + 1, command.size()); // past prlimit's options too
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("probe finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    private static WorkerSandbox sandbox(String cacheProperty) {
        WorkerSandbox sandbox = withProperties(jarClassPath, cacheProperty, WorkerSandbox::detect);
        assertThat(sandbox.kind()).isEqualTo(WorkerSandbox.Kind.BUBBLEWRAP);
        return sandbox;
    }

    private static <T> T withProperties(String classPath, String cacheProperty, Supplier<T> action) {
        String savedClassPath = System.getProperty("java.class.path");
        String savedCache = System.getProperty(WorkerSandbox.AOT_CACHE_PROPERTY);
        try {
            System.setProperty("java.class.path", classPath);
            set(WorkerSandbox.AOT_CACHE_PROPERTY, cacheProperty);
            return action.get();
        } finally {
            System.setProperty("java.class.path", savedClassPath);
            set(WorkerSandbox.AOT_CACHE_PROPERTY, savedCache);
        }
    }

    private static void set(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
