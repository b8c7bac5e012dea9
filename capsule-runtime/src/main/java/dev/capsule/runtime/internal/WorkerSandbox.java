package dev.capsule.runtime.internal;

import dev.capsule.runtime.WorkerLimits;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * The command line that starts a worker JVM: under bubblewrap on Linux, as a plain process with
 * its heap cap elsewhere.
 *
 * <p>Security guarantees (Linux): the worker runs in new user, PID, network, IPC, UTS and cgroup
 * namespaces (network: loopback only, nothing routes out), as uid/gid 65534 with every capability
 * dropped, in a new session (no terminal injection), with a clean environment; it sees /usr, the
 * JDK and its class path read-only, a private /tmp, /proc of its own PID namespace and a minimal
 * /dev (null, zero, random, urandom), and nothing else (no home, no data directory, no keys); / is
 * read-only, /tmp is capped at {@link #TMP_BYTES_MAX}; it cannot create further user namespaces; it
 * dies with the pool's spawner thread. rlimits cap each process's address space, CPU seconds, open
 * files and core dumps (none). NOT guaranteed: isolation from kernel bugs (namespaces share the
 * kernel; no seccomp filter), a CPU share or a total across a worker's processes (no cgroup), and when
 * the host runs as root the worker's kernel uid is root's (namespaced, without capabilities) and the
 * process rlimit does not apply.
 */
final class WorkerSandbox {
    /** What this machine can do for a worker. */
    enum Kind { BUBBLEWRAP, PLAIN }

    /** Manifest Class-Path references followed when expanding the class path (surefire and launchers use them). */
    static final int CLASS_PATH_ENTRIES_MAX = 2_000;
    /** Size of the worker's private /tmp (a tmpfs: its pages are memory the heap cap does not count). */
    static final long TMP_BYTES_MAX = 64L * 1024 * 1024;
    /** The only device nodes a worker gets. */
    private static final List<String> DEVICES = List.of("/dev/null", "/dev/zero", "/dev/random", "/dev/urandom");
    private static final List<String> TOP_LEVEL_LINKS = List.of("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32");

    private final Kind kind;
    private final Path bwrap;
    private final Path prlimit;
    private final Path javaHome;
    private final List<Path> classPath;

    private WorkerSandbox(Kind kind, Path bwrap, Path prlimit, Path javaHome, List<Path> classPath) {
        this.kind = kind;
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.javaHome = javaHome;
        this.classPath = classPath;
    }

    /**
     * The sandbox for this machine. On Linux it needs bubblewrap and prlimit and fails, with what to
     * install, when they are missing: falling back silently to a weaker tier is not Capsule's call.
     */
    static WorkerSandbox detect() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> cp = expandedClassPath(System.getProperty("java.class.path"));
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new WorkerSandbox(Kind.PLAIN, null, null, javaHome, cp);
        }
        Path bwrap = executable("bwrap");
        Path prlimit = executable("prlimit");
        if (bwrap == null || prlimit == null) {
            throw new IllegalStateException("process isolation on Linux needs bubblewrap and prlimit (Debian: apt-get install bubblewrap"
                    + " util-linux); install them or choose in-process isolation");
        }
        return new WorkerSandbox(Kind.BUBBLEWRAP, bwrap, prlimit, javaHome, cp);
    }

    Kind kind() {
        return kind;
    }

    /** The full command: sandbox, rlimits, then the JVM running {@code mainClass} with {@code args}. */
    List<String> command(WorkerLimits limits, String mainClass, String... args) {
        List<String> jvm = new ArrayList<>(List.of(
                javaHome.resolve("bin").resolve("java").toString(),
                "-Xmx" + limits.heapMegabytesMax() + "m",
                "-Xss2m",
                "-XX:+ExitOnOutOfMemoryError",
                "-XX:+UseSerialGC",
                "-XX:CICompilerCount=2",
                "-XX:ReservedCodeCacheSize=64m",
                "-XX:CompressedClassSpaceSize=128m",
                "-XX:MaxMetaspaceSize=192m",
                "-XX:MaxDirectMemorySize=16m",
                "-XX:-UsePerfData",
                "-XX:+DisplayVMOutputToStderr",
                "-Xlog:disable", // unified logging writes warnings to stdout, which is the protocol's
                "-Xlog:all=warning:stderr",
                "-Xshare:auto",
                "-Djava.io.tmpdir=/tmp",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp", String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()),
                mainClass));
        jvm.addAll(List.of(args));
        if (kind == Kind.PLAIN) {
            return jvm;
        }
        List<String> cmd = new ArrayList<>(List.of(bwrap.toString(),
                "--die-with-parent", "--new-session", "--unshare-all", "--unshare-user", "--disable-userns",
                "--uid", "65534", "--gid", "65534", "--cap-drop", "ALL",
                "--clearenv", "--setenv", "PATH", "/usr/bin", "--setenv", "HOME", "/tmp", "--setenv", "MALLOC_ARENA_MAX", "2",
                "--proc", "/proc", "--size", Long.toString(TMP_BYTES_MAX), "--tmpfs", "/tmp",
                "--ro-bind", "/usr", "/usr"));
        for (String device : DEVICES) {
            cmd.addAll(List.of("--dev-bind", device, device));
        }
        for (String top : TOP_LEVEL_LINKS) {
            Path p = Path.of(top);
            if (Files.isSymbolicLink(p)) {
                try {
                    cmd.addAll(List.of("--symlink", Files.readSymbolicLink(p).toString(), top));
                } catch (IOException e) {
                    // An unreadable link is left out: the JVM needs only /usr and the dynamic linker.
                }
            } else if (Files.isDirectory(p)) {
                cmd.addAll(List.of("--ro-bind", top, top));
            }
        }
        cmd.addAll(List.of("--ro-bind-try", "/etc/ld.so.cache", "/etc/ld.so.cache"));
        Set<Path> binds = new LinkedHashSet<>();
        if (!javaHome.startsWith("/usr")) {
            binds.add(javaHome);
        }
        for (Path entry : classPath) {
            if (!entry.startsWith("/usr") && !entry.startsWith(javaHome)) {
                binds.add(entry);
            }
        }
        for (Path b : binds) {
            requireHarmlessDirectory(b);
            cmd.addAll(List.of("--ro-bind", b.toString(), b.toString()));
        }
        cmd.addAll(List.of("--remount-ro", "/", "--chdir", "/tmp", "--", prlimit.toString(),
                "--as=" + limits.addressSpaceMegabytesMax() * 1024 * 1024,
                "--cpu=" + limits.cpuSecondsMax(),
                "--nofile=" + limits.openFilesMax(),
                "--nproc=" + limits.processesMax(),
                "--core=0",
                "--"));
        cmd.addAll(jvm);
        return cmd;
    }

    /**
     * A class-path directory is bound whole, so it must not be the working directory, the home
     * directory, the root, or a parent of them (a class path of "." run from a data directory would
     * hand the data to every worker). Jars are bound one by one and are always fine.
     */
    private static void requireHarmlessDirectory(Path p) {
        if (!Files.isDirectory(p)) {
            return;
        }
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path home = Path.of(System.getProperty("user.home", "/")).toAbsolutePath().normalize();
        if (p.getNameCount() == 0 || cwd.startsWith(p) || home.startsWith(p)) {
            throw new IllegalStateException("refusing to show the directory " + p + " to worker processes: it holds the working or home"
                    + " directory; put Capsule on the class path as jars or build output directories");
        }
    }

    private static Path executable(String name) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * The class path as absolute, existing paths, with jars' manifest Class-Path references followed
     * (surefire and some launchers put the real class path there), so each can be bound read-only.
     */
    static List<Path> expandedClassPath(String classPath) {
        Set<Path> seen = new LinkedHashSet<>();
        ArrayList<Path> pending = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                pending.add(Path.of(e).toAbsolutePath().normalize());
            }
        }
        while (!pending.isEmpty() && seen.size() < CLASS_PATH_ENTRIES_MAX) {
            Path p = pending.removeFirst();
            if (!Files.exists(p) || !seen.add(p) || !Files.isRegularFile(p) || !p.toString().endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(p.toFile())) {
                var manifest = jar.getManifest();
                String refs = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
                if (refs != null) {
                    for (String ref : refs.trim().split("\\s+")) {
                        if (!ref.isEmpty()) {
                            URI uri = p.getParent().toUri().resolve(ref);
                            if ("file".equals(uri.getScheme())) {
                                pending.add(Path.of(uri).normalize());
                            }
                        }
                    }
                }
            } catch (IOException | IllegalArgumentException e) {
                // Not a readable jar: it stays on the class path as given and the JVM reports it.
            }
        }
        return List.copyOf(seen);
    }
}
