package dev.capsule.server.host.internal;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the preview's directory with the JDK's {@link WatchService} (inotify on Linux) and runs {@code onChange} on
 * its own thread once the files settle: after {@link #QUIET_MILLIS} without a further change, or at the latest
 * {@link #SETTLE_MILLIS_MAX} after the first one (an editor's save is several events: write, rename, attributes).
 * Changes during a run are gathered for the next; there is never more than one run at a time.
 *
 * <p>It watches what {@code capsule pack} would read: every folder below the directory except hidden ones,
 * {@code node_modules} and the {@code excluded} paths (the server's data directory, when it lies inside), at most
 * {@link #DIRECTORIES_MAX} of them (a larger tree is refused at start, so no change goes unseen). Folders created
 * later are watched as they appear; an overflow of the kernel's queue counts as a change.
 */
public final class PreviewWatcher implements AutoCloseable {
    /** Folders watched at most; inotify's default per-user limit is 8192 watches. */
    public static final int DIRECTORIES_MAX = 4096;
    /** A change is built once this long passed without another. */
    public static final long QUIET_MILLIS = 40;
    /** A stream of changes is built at least this often. */
    public static final long SETTLE_MILLIS_MAX = 400;

    private static final Logger log = LoggerFactory.getLogger("capsule");

    private final Path root;
    private final Set<Path> excluded;
    private final Runnable onChange;
    private final WatchService watcher;
    private final Map<WatchKey, Path> keys = new HashMap<>();
    private final Set<Path> dirs = new HashSet<>();
    private final Thread thread;
    private final long quietMillis;
    private final long settleMillisMax;
    private volatile boolean closed;

    /**
     * Registers every folder now (so a change made after this returns is seen); {@link #start()} begins delivering.
     *
     * @throws IOException when the tree cannot be read or has more than {@link #DIRECTORIES_MAX} folders
     */
    public PreviewWatcher(Path root, Set<Path> excluded, Runnable onChange) throws IOException {
        this(root, excluded, onChange, Duration.ofMillis(QUIET_MILLIS), Duration.ofMillis(SETTLE_MILLIS_MAX));
    }

    /** As {@link #PreviewWatcher(Path, Set, Runnable)} with other settling times (tests use longer ones). */
    public PreviewWatcher(Path root, Set<Path> excluded, Runnable onChange, Duration quiet, Duration settleMax) throws IOException {
        if (quiet.isNegative() || quiet.isZero() || settleMax.compareTo(quiet) < 0) {
            throw new IllegalArgumentException("the quiet time must be positive and at most the settling time");
        }
        this.quietMillis = quiet.toMillis();
        this.settleMillisMax = settleMax.toMillis();
        this.root = root.toRealPath();
        this.excluded = Set.copyOf(excluded.stream().map(p -> p.toAbsolutePath().normalize()).toList());
        this.onChange = Objects.requireNonNull(onChange, "onChange");
        this.watcher = root.getFileSystem().newWatchService();
        try {
            registerTree(this.root, true);
        } catch (IOException e) {
            watcher.close();
            throw e;
        }
        this.thread = Thread.ofPlatform().daemon().name("capsule-preview-watcher").unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    /** Folders watched now. */
    public int watched() {
        synchronized (keys) {
            return keys.size();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watcher.close();
        thread.interrupt();
    }

    private void loop() {
        try {
            while (!closed) {
                boolean changed = drain(watcher.take());
                long first = System.nanoTime();
                while (true) {
                    long settle = settleMillisMax - (System.nanoTime() - first) / 1_000_000L;
                    long wait = Math.min(quietMillis, settle);
                    WatchKey more = wait > 0 ? watcher.poll(wait, TimeUnit.MILLISECONDS) : null;
                    if (more == null) {
                        break;
                    }
                    changed |= drain(more);
                }
                if (changed) {
                    run();
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void run() {
        try {
            onChange.run();
        } catch (RuntimeException e) {
            // The watcher keeps going: the next save builds again.
            log.warn("Preview: a rebuild failed unexpectedly: {}", e.toString());
        }
    }

    /** Takes a key's events, watches new folders; whether any event could change the package. */
    private boolean drain(WatchKey key) {
        Path dir;
        synchronized (keys) {
            dir = keys.get(key);
        }
        boolean changed = false;
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == OVERFLOW) {
                changed = true;
                rescan();
                continue;
            }
            if (dir == null || !(event.context() instanceof Path name)) {
                continue;
            }
            if (ignoredName(name.toString())) {
                continue; // editors' swap and backup files, hidden folders: never packed
            }
            changed = true;
            Path child = dir.resolve(name);
            if (event.kind() == ENTRY_CREATE && Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    registerTree(child, false);
                } catch (IOException e) {
                    log.warn("Preview: cannot watch a new folder: {}", e.toString());
                }
            }
        }
        if (!key.reset()) {
            synchronized (keys) {
                dirs.remove(keys.remove(key)); // the folder is gone
            }
        }
        return changed;
    }

    private void rescan() {
        try {
            registerTree(root, false);
        } catch (IOException e) {
            log.warn("Preview: cannot watch the directory again after an overflow: {}", e.toString());
        }
    }

    private static boolean ignoredName(String name) {
        return name.startsWith(".") || name.endsWith("~") || name.equals("node_modules");
    }

    private void registerTree(Path start, boolean refuseTooMany) throws IOException {
        Files.walkFileTree(start, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(root) && (ignoredName(dir.getFileName().toString()) || excluded.contains(dir.toAbsolutePath().normalize()))) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                synchronized (keys) {
                    if (dirs.contains(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    if (keys.size() >= DIRECTORIES_MAX) {
                        if (refuseTooMany) {
                            throw new IOException(root + " has more than " + DIRECTORIES_MAX
                                    + " folders to watch: preview the mini-program's own folder");
                        }
                        log.warn("Preview: {} folders are watched already; changes in {} are not seen", DIRECTORIES_MAX, dir);
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    keys.put(dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY), dir);
                    dirs.add(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // a file that vanished while walking
            }
        });
    }
}
