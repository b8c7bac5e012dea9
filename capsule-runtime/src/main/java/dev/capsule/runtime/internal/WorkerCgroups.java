package dev.capsule.runtime.internal;

import dev.capsule.runtime.WorkerLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One control group per worker (cgroup v1: memory, pids, cpu), below the host's own groups, so a
 * worker's totals are bounded whatever it forks: memory (page cache and tmpfs included), tasks, and
 * a CPU share. The worker enters its groups before bubblewrap starts (a shell writes its own pid,
 * then execs), so nothing it starts is ever outside them.
 *
 * <p>Security guarantees: limits are written before the worker runs; the worker cannot leave its
 * groups (the cgroup file system is not in its sandbox). NOT available: without write access to the
 * cgroup file system (an unprivileged host without delegation) or on cgroup v2 only, where the runtime
 * runs workers without these totals and says so once in its log.
 */
final class WorkerCgroups {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final List<String> CONTROLLERS = List.of("memory", "pids", "cpu");
    private static final long CPU_PERIOD_MICROS = 100_000;
    private static final int REMOVE_ATTEMPTS = 50;
    private static final long REMOVE_RETRY_MILLIS = 100;

    private final Map<String, Path> parents;
    /** Across every pool in this JVM: two pools share the parent group, never a worker group. */
    private static final AtomicLong COUNTER = new AtomicLong();

    private WorkerCgroups(Map<String, Path> parents) {
        this.parents = parents;
    }

    /** The groups for this host's workers, if this machine lets the host create them. */
    static Optional<WorkerCgroups> detect() {
        Map<String, String> own = ownGroups();
        Map<String, Path> parents = new LinkedHashMap<>();
        for (String controller : CONTROLLERS) {
            String path = own.get(controller);
            Path mount = ROOT.resolve(controller);
            if (path == null || !Files.isDirectory(mount)) {
                return Optional.empty();
            }
            Path parent = mount.resolve(path.substring(1)).resolve("capsule-workers-" + ProcessHandle.current().pid());
            try {
                Files.createDirectories(parent);
            } catch (IOException | SecurityException e) {
                return Optional.empty();
            }
            parents.put(controller, parent);
        }
        return Optional.of(new WorkerCgroups(parents));
    }

    /** "memory" → "/process_api/x" from /proc/self/cgroup (v1 lines: id:controllers:path). */
    private static Map<String, String> ownGroups() {
        Map<String, String> groups = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length == 3) {
                    for (String c : parts[1].split(",")) {
                        groups.put(c, parts[2]);
                    }
                }
            }
        } catch (IOException e) {
            // No /proc: no groups.
        }
        return groups;
    }

    /** A worker's groups: created with their limits; {@link #wrap} puts a command in them. */
    record Groups(List<Path> dirs) {
        /** Removes the groups once the worker has gone (a group with tasks cannot be removed, so this never harms a live one). */
        void remove() {
            Thread.ofVirtual().start(() -> {
                // The worker's last tasks may take a moment to leave after its sandbox ends.
                for (int attempt = 0; attempt < REMOVE_ATTEMPTS && !dirs.stream().allMatch(Groups::removed); attempt++) {
                    try {
                        Thread.sleep(REMOVE_RETRY_MILLIS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        private static boolean removed(Path d) {
            try {
                Files.deleteIfExists(d);
                return true;
            } catch (IOException e) {
                return false; // still has tasks
            }
        }
    }

    Groups create(WorkerLimits limits) throws IOException {
        String name = "w" + COUNTER.incrementAndGet();
        List<Path> dirs = new ArrayList<>();
        for (Map.Entry<String, Path> e : parents.entrySet()) {
            Path dir = Files.createDirectories(e.getValue().resolve(name));
            dirs.add(dir);
            switch (e.getKey()) {
                case "memory" -> Files.writeString(dir.resolve("memory.limit_in_bytes"),
                        Long.toString(limits.memoryMegabytesMax() * 1024L * 1024L));
                case "pids" -> Files.writeString(dir.resolve("pids.max"), Integer.toString(limits.tasksMax()));
                case "cpu" -> {
                    Files.writeString(dir.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_MICROS));
                    Files.writeString(dir.resolve("cpu.cfs_quota_us"), Long.toString(CPU_PERIOD_MICROS * limits.cpuPercentMax() / 100));
                }
                default -> throw new IllegalStateException("unknown controller " + e.getKey());
            }
        }
        return new Groups(dirs);
    }

    /** {@code command}, started by a shell that first moves itself into {@code groups}. */
    static List<String> wrap(List<String> command, Groups groups) {
        StringBuilder script = new StringBuilder();
        for (int i = 1; i <= groups.dirs().size(); i++) {
            script.append("echo $$ > \"$").append(i).append("/cgroup.procs\" && ");
        }
        script.append("shift ").append(groups.dirs().size()).append(" && exec \"$@\"");
        List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", script.toString(), "capsule-worker"));
        groups.dirs().forEach(d -> wrapped.add(d.toString()));
        wrapped.addAll(command);
        return wrapped;
    }
}
