package dev.capsule.core.auth.password;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The common-password list shipped as {@code common-passwords.txt} beside this class (source and licence
 * in {@code common-passwords.NOTICE.md}), loaded once, on first use, into an immutable set.
 */
final class CommonPasswords {
    static final String RESOURCE = "common-passwords.txt";
    /** Bounds on the resource, so a corrupted build fails loudly instead of loading something odd. */
    static final int ENTRIES_MIN = 10_000;
    static final int ENTRIES_MAX = 1_000_000;
    static final int ENTRY_CHARS_MAX = 256;

    private CommonPasswords() {}

    /** The lower-case entries. */
    static Set<String> entries() {
        return Holder.ENTRIES;
    }

    // The holder idiom: the JVM loads the list exactly once, when first needed, without locking afterwards.
    private static final class Holder {
        static final Set<String> ENTRIES = load();
    }

    private static Set<String> load() {
        try (InputStream in = CommonPasswords.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the common-password list " + RESOURCE + " is missing from the build");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Set<String> entries = new HashSet<>(65_536);
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.isEmpty() || line.length() > ENTRY_CHARS_MAX) {
                    throw new IllegalStateException("the common-password list has an empty or overlong line");
                }
                entries.add(line);
                if (entries.size() > ENTRIES_MAX) {
                    throw new IllegalStateException("the common-password list has more than " + ENTRIES_MAX + " entries");
                }
            }
            if (entries.size() < ENTRIES_MIN) {
                throw new IllegalStateException("the common-password list has fewer than " + ENTRIES_MIN + " entries");
            }
            return Collections.unmodifiableSet(entries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the common-password list", e);
        }
    }
}
