package dev.capsule.runtime.internal;

import dev.capsule.runtime.WorkerLimits;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
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
 * /dev (null, zero, random, urandom), the start-up cache read-only when there is one, and nothing
 * else (no home, no data directory, no keys); / is read-only, /tmp is capped at {@link #TMP_BYTES_MAX};
 * it cannot create further user namespaces; it dies with the pool's spawner thread. rlimits cap each
 * process's address space, CPU seconds, open files and core dumps (none). NOT guaranteed: isolation
 * from kernel bugs (namespaces share the kernel; no seccomp filter), a CPU share or a total across a
 * worker's processes (no cgroup), and when the host runs as root the worker's kernel uid is root's
 * (namespaced, without capabilities) and the process rlimit does not apply.
 *
 * <p>Start-up cache: when the system property {@value #AOT_CACHE_PROPERTY} names a regular file that
 * is not stale (below), the worker JVM starts with it as its AOT cache (JEP 483/515: classes loaded
 * and linked, method profiles) and sees that one file through a read-only bind. The cache is a
 * trusted build artefact, like the class path: the build's training run ({@link WorkerCacheTraining})
 * writes it, the worker can neither write nor replace it. A missing cache is left out, and so is one
 * older than any class-path jar or the JDK's module image (a jar rebuilt or replaced after training):
 * JDK 25.0.3 checks the class path's names but was seen to run a changed jar's classes from a stale
 * cache, so the JVM's own validation (JDK build, flags, class path names) is not relied on alone. A
 * corrupt cache is rejected by the JVM. Either way it costs only start-up time.
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
    /** System property naming the worker JVM's AOT cache file (set by the ./capsule launcher); unset or missing: none. */
    static final String AOT_CACHE_PROPERTY = "capsule.worker.aotCache";

    private final Kind kind;
    private final Path bwrap;
    private final Path prlimit;
    private final Path javaHome;
    private final List<Path> classPath;
    private final Optional<Path> aotCache;

    private WorkerSandbox(Kind kind, Path bwrap, Path prlimit, Path javaHome, List<Path> classPath, Optional<Path> aotCache) {
        this.kind = kind;
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.javaHome = javaHome;
        this.classPath = classPath;
        this.aotCache = aotCache;
    }

    /**
     * The sandbox for this machine. On Linux it needs bubblewrap and prlimit and fails, with what to
     * install, when they are missing: falling back silently to a weaker tier is not Capsule's call.
     */
    static WorkerSandbox detect() {
        Path javaHome = Path.of(System.getProperty("java.home"));
        List<Path> cp = expandedClassPath(System.getProperty("java.class.path"));
        Optional<Path> cache = aotCache(System.getProperty(AOT_CACHE_PROPERTY), javaHome, cp);
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return new WorkerSandbox(Kind.PLAIN, null, null, javaHome, cp, cache);
        }
        Path bwrap = executable("bwrap");
        Path prlimit = executable("prlimit");
        if (bwrap == null || prlimit == null) {
            throw new IllegalStateException("process isolation on Linux needs bubblewrap and prlimit (Debian: apt-get install bubblewrap"
                    + " util-linux); install them or choose in-process isolation");
        }
        return new WorkerSandbox(Kind.BUBBLEWRAP, bwrap, prlimit, javaHome, cp, cache);
    }

    /**
     * The unsandboxed JVM of this machine's workers, for the build's training run: the same JDK,
     * class path and flags as {@link #detect()}'s, so the cache it writes is one the workers accept.
     */
    static WorkerSandbox forTraining() {
        return new WorkerSandbox(Kind.PLAIN, null, null, Path.of(System.getProperty("java.home")),
                expandedClassPath(System.getProperty("java.class.path")), Optional.empty());
    }

    /**
     * The cache file named by the property, as its real path, when it is a regular file written after
     * every class-path entry and the JDK's module image; anything else (unset, missing, a directory, a
     * jar or JDK changed since training) means no cache. Only a regular file is ever bound into a worker.
     */
    static Optional<Path> aotCache(String property, Path javaHome, List<Path> classPath) {
        if (property == null || property.isBlank()) {
            return Optional.empty();
        }
        try {
            Path real = Path.of(property).toRealPath();
            if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            FileTime trained = Files.getLastModifiedTime(real);
            List<Path> inputs = new ArrayList<>(classPath);
            inputs.add(javaHome.resolve("lib").resolve("modules"));
            for (Path input : inputs) {
                if (Files.exists(input) && Files.getLastModifiedTime(input).compareTo(trained) >= 0) {
                    return Optional.empty(); // stale: trained on an older jar or JDK
                }
            }
            return Optional.of(real);
        } catch (IOException | InvalidPathException e) {
            return Optional.empty(); // no cache costs start-up time only
        }
    }

    Kind kind() {
        return kind;
    }

    /**
     * The training run's command: the workers' JVM, unsandboxed, writing its AOT cache to {@code output}
     * when it exits (the JVM refuses to combine an AOT cache option with -Xshare).
     */
    List<String> trainingCommand(WorkerLimits limits, Path output, String mainClass, String... args) {
        return jvm(limits, "-XX:AOTCacheOutput=" + output.toAbsolutePath(), mainClass, args);
    }

    /** The full command: sandbox, rlimits, then the JVM running {@code mainClass} with {@code args}. */
    List<String> command(WorkerLimits limits, String mainClass, String... args) {
        List<String> jvm = jvm(limits, aotCache.map(c -> "-XX:AOTCache=" + c).orElse("-Xshare:auto"), mainClass, args);
        if (kind == Kind.PLAIN) {
            return jvm;
        }
        return sandboxed(limits, jvm);
    }

    /** The worker JVM's command line; {@code sharing} is its class-data sharing option (CDS or an AOT cache). */
    private List<String> jvm(WorkerLimits limits, String sharing, String mainClass, String... args) {
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
                sharing,
                "-Djava.io.tmpdir=/tmp",
                "-Dpolyglot.engine.WarnInterpreterOnly=false",
                "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp", String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()),
                mainClass));
        jvm.addAll(List.of(args));
        return jvm;
    }

    private List<String> sandboxed(WorkerLimits limits, List<String> jvm) {
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
        // The one cache file, read-only: the worker maps it and can neither write it nor, without its
        // directory, replace it.
        aotCache.ifPresent(c -> cmd.addAll(List.of("--ro-bind", c.toString(), c.toString())));
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
