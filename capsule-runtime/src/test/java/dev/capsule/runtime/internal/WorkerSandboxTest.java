package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.WorkerLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the Linux sandbox really stops, probed from inside it. Each check has a positive control:
 * the same probe run as a plain process can do the thing, so a pass means the sandbox stopped it.
 * These tests run on Linux only, and CI is Linux: they never skip there.
 */
class WorkerSandboxTest {
    private static final WorkerLimits LIMITS = WorkerLimits.DEFAULTS;
    private static WorkerSandbox sandbox;
    private static ServerSocket hostListener;
    private static Path secret;

    @BeforeAll
    static void setUp() throws IOException {
        sandbox = WorkerSandbox.detect();
        assertThat(sandbox.kind()).as("Linux CI must sandbox workers with bubblewrap (.ci/run installs it)")
                .isEqualTo(WorkerSandbox.Kind.BUBBLEWRAP);
        hostListener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!hostListener.isClosed()) {
                try {
                    hostListener.accept().close();
                } catch (IOException e) {
                    return;
                }
            }
        });
        secret = Files.createTempFile(Path.of(System.getProperty("user.dir"), "target"), "host-secret", ".txt");
        Files.writeString(secret, "host secret");
    }

    @AfterAll
    static void tearDown() throws IOException {
        hostListener.close();
        Files.deleteIfExists(secret);
    }

    private static String probe(boolean sandboxed, String... args) throws Exception {
        List<String> command = sandbox.command(LIMITS, SandboxProbe.class.getName(), args);
        if (!sandboxed) {
            command = new ArrayList<>(command.subList(command.indexOf("--") + 1, command.size()));
            command = command.subList(command.indexOf("--") + 1, command.size()); // past prlimit's options too
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("probe finished").isTrue();
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    }

    @Test
    void workerCannotConnectToAListenerOnTheHostsLoopback() throws Exception {
        String port = Integer.toString(hostListener.getLocalPort());
        assertThat(probe(false, "connect", "127.0.0.1", port)).isEqualTo("connected");
        assertThat(probe(true, "connect", "127.0.0.1", port)).startsWith("blocked");
    }

    @Test
    void workerHasItsOwnNetworkNamespace() throws Exception {
        String hostNs = "netns " + Files.readSymbolicLink(Path.of("/proc/self/ns/net"));
        assertThat(probe(false, "netns")).isEqualTo(hostNs);
        assertThat(probe(true, "netns")).startsWith("netns net:[").isNotEqualTo(hostNs);
    }

    @Test
    void workerCannotReadHostFilesOutsideItsClassPath() throws Exception {
        assertThat(probe(false, "read", secret.toString())).isEqualTo("read 11");
        assertThat(probe(true, "read", secret.toString())).startsWith("blocked");
        assertThat(probe(true, "exists", "/etc/passwd")).isEqualTo("exists false");
        assertThat(probe(true, "exists", System.getProperty("user.home") + "/.m2/settings.xml")).isEqualTo("exists false");
    }

    @Test
    void workerSeesItsFileSystemReadOnlyExceptAPrivateTmp() throws Exception {
        assertThat(probe(true, "write", "/usr/capsule-probe")).startsWith("blocked");
        assertThat(probe(true, "write", "/tmp/capsule-probe")).isEqualTo("wrote");
        assertThat(Path.of("/tmp/capsule-probe")).doesNotExist();
    }

    @Test
    void workerRootIsReadOnlyDevIsMinimalAndTmpIsCapped() throws Exception {
        assertThat(probe(true, "write", "/capsule-probe")).startsWith("blocked");
        assertThat(probe(true, "exists", "/dev/shm")).isEqualTo("exists false");
        assertThat(probe(true, "exists", "/dev/urandom")).isEqualTo("exists true");
        assertThat(probe(true, "fill", "/tmp/fill", "32")).isEqualTo("filled");
        assertThat(probe(true, "fill", "/tmp/fill", Long.toString(WorkerSandbox.TMP_BYTES_MAX / (1024 * 1024) + 8))).startsWith("blocked");
    }

    @Test
    void workerCannotCreateNestedUserNamespaces() throws Exception {
        assertThat(probe(false, "userns")).isEqualTo("userns created");
        assertThat(probe(true, "userns")).isEqualTo("blocked userns");
    }

    @Test
    void classPathDirectoriesHoldingTheWorkingDirectoryAreRefused() {
        String classPath = System.getProperty("java.class.path");
        WorkerSandbox withDot;
        try {
            System.setProperty("java.class.path", "." + java.io.File.pathSeparator + classPath);
            withDot = WorkerSandbox.detect();
        } finally {
            System.setProperty("java.class.path", classPath);
        }
        assertThatThrownBy(() -> withDot.command(LIMITS, "Main")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("refusing to show the directory " + Path.of("").toAbsolutePath() + " to worker processes");
    }

    @Test
    void workerRunsUnprivilegedInItsOwnPidNamespaceWithACleanEnvironment() throws Exception {
        assertThat(probe(true, "status")).contains("Uid:\t65534").contains("CapEff:\t0000000000000000");
        assertThat(probe(true, "env")).isEqualTo("env [HOME, MALLOC_ARENA_MAX, PATH, PWD]");
        assertThat(Long.parseLong(probe(true, "processes").substring("processes ".length()))).isLessThanOrEqualTo(3);
    }

    @Test
    void otherSystemsGetAPlainProcessWithItsHeapCap() {
        String os = System.getProperty("os.name");
        WorkerSandbox plain;
        try {
            System.setProperty("os.name", "Mac OS X");
            plain = WorkerSandbox.detect();
        } finally {
            System.setProperty("os.name", os);
        }
        assertThat(plain.kind()).isEqualTo(WorkerSandbox.Kind.PLAIN);
        List<String> command = plain.command(LIMITS, "Main");
        assertThat(command.getFirst()).endsWith("/bin/java");
        assertThat(command).contains("-Xmx256m", "-XX:+ExitOnOutOfMemoryError").doesNotContain("--unshare-all");
        assertThat(command.getLast()).isEqualTo("Main");
    }

    @Test
    void workerHasRlimits() throws Exception {
        assertThat(probe(true, "limits")).contains("Max cpu time " + LIMITS.cpuSecondsMax() + " " + LIMITS.cpuSecondsMax())
                .contains("Max open files " + LIMITS.openFilesMax() + " " + LIMITS.openFilesMax())
                .contains("Max address space " + LIMITS.addressSpaceMegabytesMax() * 1024 * 1024)
                .contains("Max core file size 0 0");
    }
}
