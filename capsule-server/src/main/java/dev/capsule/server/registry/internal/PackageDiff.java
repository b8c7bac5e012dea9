package dev.capsule.server.registry.internal;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.text.SafeText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * The files of a version compared with a base version (the previous approved one): each path added, removed
 * or changed (by its digest-manifest SHA-256), and for a changed text file a unified diff, bounded.
 *
 * <p>Limits: a text diff is made only when both sides are UTF-8 text without NUL of at most
 * {@link #TEXT_FILE_BYTES_MAX} bytes; it keeps at most {@link #FILE_DIFF_LINES_MAX} lines per file and
 * {@link #DIFF_LINES_MAX} over all files, each line cut to {@link #LINE_CHARS_MAX} characters; anything cut
 * says so ({@code truncated}). Lines are escaped ({@link SafeText}): developer text is shown, never interpreted.
 *
 * @param files     every path that differs, sorted
 * @param truncated whether some diff lines were left out
 */
record PackageDiff(List<FileChange> files, boolean truncated) {
    static final int TEXT_FILE_BYTES_MAX = 256 * 1024;
    static final int FILE_DIFF_LINES_MAX = 500;
    static final int DIFF_LINES_MAX = 5_000;
    static final int LINE_CHARS_MAX = 300;
    static final int CONTEXT_LINES = 3;

    enum Change {
        ADDED("added"), REMOVED("removed"), CHANGED("changed");

        private final String code;

        Change(String code) {
            this.code = code;
        }

        String code() {
            return code;
        }
    }

    /**
     * @param textDiff unified diff lines of a changed text file; empty for others
     * @param note     why there is no text diff for a changed file (binary, too large, limit reached), or null
     */
    record FileChange(String path, Change change, List<String> textDiff, String note) {
        FileChange {
            textDiff = List.copyOf(textDiff);
        }
    }

    /** Every file of {@code current} as added: a first version has no base. */
    static PackageDiff of(Optional<CapsulePackage> base, CapsulePackage current) {
        SortedMap<String, Sha256> now = current.digestManifest().digests();
        Map<String, Sha256> before = base.map(b -> (Map<String, Sha256>) b.digestManifest().digests()).orElse(Map.of());
        TreeSet<String> paths = new TreeSet<>(now.keySet());
        paths.addAll(before.keySet());
        List<FileChange> changes = new ArrayList<>();
        int budget = DIFF_LINES_MAX;
        boolean truncated = false;
        for (String path : paths) {
            Sha256 a = before.get(path);
            Sha256 b = now.get(path);
            if (a == null) {
                changes.add(new FileChange(SafeText.escape(path), Change.ADDED, List.of(), null));
            } else if (b == null) {
                changes.add(new FileChange(SafeText.escape(path), Change.REMOVED, List.of(), null));
            } else if (!a.matches(b)) {
                Optional<String> oldText = text(base.get().file(path));
                Optional<String> newText = text(current.file(path));
                if (oldText.isEmpty() || newText.isEmpty()) {
                    changes.add(new FileChange(SafeText.escape(path), Change.CHANGED, List.of(),
                            "binary or larger than " + TEXT_FILE_BYTES_MAX + " bytes: compare by digest only"));
                } else if (budget == 0) {
                    truncated = true;
                    changes.add(new FileChange(SafeText.escape(path), Change.CHANGED, List.of(),
                            "the diff's limit of " + DIFF_LINES_MAX + " lines was reached"));
                } else {
                    List<String> lines = unified(path, oldText.get(), newText.get());
                    int keep = Math.min(Math.min(lines.size(), FILE_DIFF_LINES_MAX), budget);
                    budget -= keep;
                    boolean cut = keep < lines.size();
                    truncated |= cut;
                    changes.add(new FileChange(SafeText.escape(path), Change.CHANGED,
                            lines.subList(0, keep).stream().map(l -> SafeText.escape(l, LINE_CHARS_MAX)).toList(),
                            cut ? (lines.size() - keep) + " more diff lines were left out" : null));
                }
            }
        }
        return new PackageDiff(changes, truncated);
    }

    private static List<String> unified(String path, String oldText, String newText) {
        List<String> a = oldText.lines().toList();
        List<String> b = newText.lines().toList();
        return UnifiedDiffUtils.generateUnifiedDiff("a/" + path, "b/" + path, a, DiffUtils.diff(a, b), CONTEXT_LINES);
    }

    /** The file as text, when it is UTF-8 without NUL and small enough to diff. */
    private static Optional<String> text(byte[] bytes) {
        if (bytes.length > TEXT_FILE_BYTES_MAX) {
            return Optional.empty();
        }
        for (byte b : bytes) {
            if (b == 0) {
                return Optional.empty();
            }
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
