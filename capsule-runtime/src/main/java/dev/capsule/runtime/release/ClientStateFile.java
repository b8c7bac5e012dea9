package dev.capsule.runtime.release;

import dev.capsule.core.release.ReleaseClientState;
import dev.capsule.core.release.ReleaseFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * The client state file in the runtime's data directory ({@value #FILE_NAME}), shared by the release client and
 * its revocation watcher: every change is read, changed and written (atomically, by core) under one lock, so the
 * two never undo each other's update. One client per data directory.
 */
final class ClientStateFile {
    static final String FILE_NAME = "release-client-state.json";

    private final Path file;

    ClientStateFile(Path dataDirectory) throws ReleaseException {
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.STATE, "cannot create the data directory " + dataDirectory + ": " + e.getMessage());
        }
        this.file = dataDirectory.resolve(FILE_NAME);
    }

    synchronized ReleaseClientState read() throws ReleaseException {
        try {
            return ReleaseClientState.read(file);
        } catch (IOException | ReleaseFormatException e) {
            throw new ReleaseException(ReleaseException.STATE, file + ": " + e.getMessage());
        }
    }

    synchronized void write(ReleaseClientState state) throws ReleaseException {
        try {
            state.write(file);
        } catch (IOException e) {
            throw new ReleaseException(ReleaseException.STATE, "cannot write " + file + ": " + e.getMessage());
        }
    }

    /** Reads, changes and writes the state under the lock (nothing is written when the change leaves the file's content as it was). */
    synchronized ReleaseClientState update(UnaryOperator<ReleaseClientState> change) throws ReleaseException {
        ReleaseClientState before = read();
        ReleaseClientState after = change.apply(before);
        if (!java.util.Arrays.equals(after.toJson(), before.toJson())) { // the file's bytes: records holding arrays do not compare by value
            write(after);
        }
        return after;
    }

    Path path() {
        return file;
    }
}
