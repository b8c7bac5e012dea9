package dev.capsule.runtime.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blobs as files: {@code <root>/<area>/area.keys} and {@code <root>/<area>/<record id>.record}.
 * Every name is hex derived by {@link AreaId} or {@link AreaCipher}; no id or key ever reaches the
 * file system. Directories are created 700 and files 600 where the file system is POSIX; writes go to
 * a temporary file in the same directory, are forced to disk, then renamed over the target.
 *
 * <p>One process per root: two processes writing the same area would each trust their own index.
 */
final class DirectoryBlobStore implements BlobStore {
    private static final Pattern HEX_NAME = Pattern.compile("[0-9a-f]{64}");
    private static final String KEYS_FILE = "area.keys";
    private static final String RECORD_SUFFIX = ".record";
    private static final String TEMP_PREFIX = ".tmp-";

    private final Path root;
    private final boolean posix;

    /** Creates {@code root} (mode 700) if it does not exist. */
    DirectoryBlobStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.posix = this.root.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(this.root)) {
            Files.createDirectories(this.root, directoryMode());
        }
    }

    @Override
    public Optional<byte[]> read(String area, String name, int bytesMax) throws IOException {
        // NOFOLLOW_LINKS: a record is always a regular file this class wrote, never a link elsewhere.
        try (SeekableByteChannel in = Files.newByteChannel(file(area, name), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = in.size();
            if (size > bytesMax) {
                throw new OversizeBlobException(size);
            }
            // Read at most one byte past the limit, in case the file grows while being read.
            ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size + 1, (long) bytesMax + 1));
            while (buffer.hasRemaining() && in.read(buffer) >= 0) {
                if (buffer.position() > bytesMax) {
                    throw new OversizeBlobException(buffer.position());
                }
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
            return Optional.of(bytes);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public void write(String area, String name, byte[] bytes) throws IOException {
        Path dir = areaDirectory(area);
        Files.createDirectories(dir, directoryMode());
        Path temp = Files.createTempFile(dir, TEMP_PREFIX, ".part", fileMode());
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(temp, file(area, name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void delete(String area, String name) throws IOException {
        Files.deleteIfExists(file(area, name));
    }

    @Override
    public List<String> recordNames(String area) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(areaDirectory(area), "*" + RECORD_SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                String id = fileName.substring(0, fileName.length() - RECORD_SUFFIX.length());
                if (HEX_NAME.matcher(id).matches()) {
                    names.add(id);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        return names;
    }

    @Override
    public void sweepLeftovers(String area) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(areaDirectory(area), TEMP_PREFIX + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        } catch (NoSuchFileException | NotDirectoryException e) {
            // No area directory yet: nothing to sweep.
        }
    }

    private Path areaDirectory(String area) {
        requireHex(area);
        return root.resolve(area);
    }

    private Path file(String area, String name) {
        if (name.equals(KEYS)) {
            return areaDirectory(area).resolve(KEYS_FILE);
        }
        requireHex(name);
        return areaDirectory(area).resolve(name + RECORD_SUFFIX);
    }

    /** Defence in depth: only hex reaches {@link Path#resolve}, whatever a caller passes. */
    private static void requireHex(String name) {
        if (!HEX_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("blob names are 64 hex characters");
        }
    }

    private FileAttribute<?>[] directoryMode() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }

    private FileAttribute<?>[] fileMode() {
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
    }

    @Override
    public String toString() {
        return "DirectoryBlobStore[" + root + "]";
    }
}
