package dev.capsule.runtime.internal;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One session's temporary files ({@code wx.downloadFile}'s results, {@code wx.uploadFile}'s inputs):
 * held in the host's memory, never on disk, never in the worker, and gone when the session ends.
 * A file is named by an unguessable path {@code wxfile://tmp/<32 hex>.<ext>} that means something
 * only to the session that made it: never a host path, and another session's path is simply unknown.
 *
 * <p>Security guarantees: at most {@link #FILES_MAX} files and {@link #BYTES_MAX} bytes per session;
 * a path is 128 random bits from {@link SecureRandom}; lookups are exact (no normalisation, no
 * traversal); after {@link #clear} nothing is kept. Thread-safe.
 */
final class TempFiles {
    /** Bytes all of a session's temporary files may hold together: 32 MiB. */
    static final long BYTES_MAX = 32L * 1024 * 1024;
    /** Temporary files a session may hold at once. */
    static final int FILES_MAX = 64;
    static final String PREFIX = "wxfile://tmp/";
    private static final Pattern EXTENSION = Pattern.compile("[a-z0-9]{1,8}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, byte[]> files = new HashMap<>();
    private long bytes;
    private boolean ended;

    /** A stored file's path, or null if it does not fit; {@link #refusal} says why. */
    synchronized String put(byte[] content, String extension) {
        if (refusal(content.length) != null) {
            return null;
        }
        byte[] id = new byte[16];
        RANDOM.nextBytes(id);
        String ext = extension != null && EXTENSION.matcher(extension).matches() ? "." + extension : "";
        String path = PREFIX + HexFormat.of().formatHex(id) + ext;
        files.put(path, content.clone());
        bytes += content.length;
        return path;
    }

    /** Why a file of {@code size} bytes cannot be stored now, or null if it can. */
    synchronized String refusal(long size) {
        if (ended) {
            return "the session has ended";
        }
        if (files.size() >= FILES_MAX) {
            return "temporary file quota exceeded (at most " + FILES_MAX + " files per session)";
        }
        if (bytes + size > BYTES_MAX) {
            return "temporary file quota exceeded (at most " + BYTES_MAX + " bytes per session)";
        }
        return null;
    }

    /** The content of this session's file at {@code path}, or null if this session has none there. */
    synchronized byte[] get(String path) {
        byte[] content = files.get(path);
        return content == null ? null : content.clone();
    }

    /** The session ended: every file is dropped and none is kept after. */
    synchronized void clear() {
        ended = true;
        files.clear();
        bytes = 0;
    }
}
