package dev.capsule.core.release;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.log.NoteKey;
import dev.capsule.core.text.SafeText;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The platform trust file a host operator pins out of band ({@code capsule run --trust-platform FILE}, served at
 * {@code GET /api/v1/releases/platform-trust}): the release log's origin and the platform's public keys, each bound
 * to one {@link Purpose}. Text, UTF-8, LF line ends:
 * <pre>
 * capsule-platform-trust/1
 * origin capsule.local/releases/0b6f2a4e
 * package-countersignature MCowBQYDK2VwAyEA...
 * release-checkpoint MCowBQYDK2VwAyEA...
 * revocation-list MCowBQYDK2VwAyEA...
 * </pre>
 * Each key line is {@code <purpose> <base64 DER Ed25519 SubjectPublicKeyInfo>}; a purpose may have several keys
 * (rotation, at most {@link #KEYS_PER_PURPOSE_MAX}).
 *
 * <p>Security guarantees: every purpose has at least one key (a missing purpose is refused, never defaulted); one
 * key is never trusted for two purposes (a file that lists a key twice is refused), so a revocation-list key cannot
 * sign a checkpoint nor countersign a package; {@link #keys} returns only the keys of the purpose asked for. Parsing
 * is strict: first line exactly the format, one origin line, known purposes only, canonical base64, no blank or
 * extra lines, at most {@link #FILE_BYTES_MAX} bytes.
 */
public record PlatformTrust(String origin, Map<Purpose, List<VerifyingKey>> byPurpose) {
    public static final String FORMAT = "capsule-platform-trust/1";
    public static final int FILE_BYTES_MAX = 16 * 1024;
    public static final int KEYS_PER_PURPOSE_MAX = 8;
    /** The origin's line keyword. */
    static final String ORIGIN = "origin";

    /** What a platform key may sign; the codes are the trust file's line keywords. */
    public enum Purpose {
        /** The platform's countersignature on a package (role {@code platform}). */
        PACKAGE_COUNTERSIGNATURE("package-countersignature"),
        /** The release log's signed checkpoints. */
        RELEASE_CHECKPOINT("release-checkpoint"),
        /** The signed revocation list. */
        REVOCATION_LIST("revocation-list");

        private final String code;

        Purpose(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }

        static Purpose fromCode(String code) {
            for (Purpose purpose : values()) {
                if (purpose.code.equals(code)) {
                    return purpose;
                }
            }
            return null;
        }
    }

    public PlatformTrust {
        if (!NoteKey.isValidName(origin)) {
            throw new IllegalArgumentException("origin must be a valid log origin (a signed-note key name)");
        }
        Objects.requireNonNull(byPurpose, "byPurpose");
        Map<Purpose, List<VerifyingKey>> copy = new EnumMap<>(Purpose.class);
        Map<VerifyingKey, Purpose> seen = new HashMap<>();
        for (Purpose purpose : Purpose.values()) {
            List<VerifyingKey> keys = List.copyOf(byPurpose.getOrDefault(purpose, List.of()));
            if (keys.isEmpty() || keys.size() > KEYS_PER_PURPOSE_MAX) {
                throw new IllegalArgumentException("the trust file needs 1.." + KEYS_PER_PURPOSE_MAX + " " + purpose.code + " keys");
            }
            for (VerifyingKey key : keys) {
                Purpose other = seen.putIfAbsent(key, purpose);
                if (other != null) {
                    throw new IllegalArgumentException("key " + key.keyId().shortForm() + " is listed for " + other.code
                            + (other == purpose ? " twice" : " and " + purpose.code) + ": each key has one purpose");
                }
            }
            copy.put(purpose, keys);
        }
        byPurpose = java.util.Collections.unmodifiableMap(copy);
    }

    /** A trust file with one key per purpose. */
    public static PlatformTrust of(String origin, VerifyingKey countersignature, VerifyingKey checkpoint, VerifyingKey revocations) {
        return new PlatformTrust(origin, Map.of(Purpose.PACKAGE_COUNTERSIGNATURE, List.of(countersignature),
                Purpose.RELEASE_CHECKPOINT, List.of(checkpoint), Purpose.REVOCATION_LIST, List.of(revocations)));
    }

    /** The keys trusted for {@code purpose}, and only those. */
    public List<VerifyingKey> keys(Purpose purpose) {
        return byPurpose.get(purpose);
    }

    /** The file's text. */
    public String format() {
        StringBuilder out = new StringBuilder(FORMAT).append('\n').append(ORIGIN).append(' ').append(origin).append('\n');
        byPurpose.forEach((purpose, keys) -> keys.forEach(key ->
                out.append(purpose.code).append(' ').append(Base64.getEncoder().encodeToString(key.spki())).append('\n')));
        return out.toString();
    }

    /**
     * Parses a trust file strictly (see the class comment).
     *
     * @throws ReleaseFormatException naming the line and the problem
     */
    public static PlatformTrust parse(byte[] file) throws ReleaseFormatException {
        if (file.length > FILE_BYTES_MAX) {
            throw new ReleaseFormatException("platform trust file: larger than " + FILE_BYTES_MAX + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(file)).toString();
        } catch (CharacterCodingException e) {
            throw new ReleaseFormatException("platform trust file: not valid UTF-8");
        }
        if (!text.endsWith("\n")) {
            throw new ReleaseFormatException("platform trust file: the last line must end with a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (!lines[0].equals(FORMAT)) {
            throw new ReleaseFormatException("platform trust file: the first line must be '" + FORMAT + "'");
        }
        String origin = null;
        Map<Purpose, List<VerifyingKey>> keys = new EnumMap<>(Purpose.class);
        for (int i = 1; i < lines.length; i++) {
            String where = "platform trust file: line " + (i + 1) + ": ";
            String[] parts = lines[i].split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
                throw new ReleaseFormatException(where + "expected '<keyword> <value>' separated by one space");
            }
            if (parts[0].equals(ORIGIN)) {
                if (origin != null) {
                    throw new ReleaseFormatException(where + "a second origin line");
                }
                if (!NoteKey.isValidName(parts[1])) {
                    throw new ReleaseFormatException(where + "not a valid log origin");
                }
                origin = parts[1];
                continue;
            }
            Purpose purpose = Purpose.fromCode(parts[0]);
            if (purpose == null) {
                throw new ReleaseFormatException(where + "unknown keyword '" + SafeText.escape(parts[0], 40)
                        + "' (allowed: origin, package-countersignature, release-checkpoint, revocation-list)");
            }
            VerifyingKey key;
            try {
                byte[] der = Base64.getDecoder().decode(parts[1]);
                if (!Base64.getEncoder().encodeToString(der).equals(parts[1])) {
                    throw new ReleaseFormatException(where + "key is not canonical base64");
                }
                key = VerifyingKey.fromSpki(der);
            } catch (IllegalArgumentException e) {
                throw new ReleaseFormatException(where + "key is not valid base64");
            } catch (KeyFormatException e) {
                throw new ReleaseFormatException(where + e.getMessage());
            }
            keys.computeIfAbsent(purpose, p -> new ArrayList<>()).add(key);
        }
        if (origin == null) {
            throw new ReleaseFormatException("platform trust file: no 'origin' line");
        }
        try {
            return new PlatformTrust(origin, keys);
        } catch (IllegalArgumentException e) {
            throw new ReleaseFormatException("platform trust file: " + e.getMessage());
        }
    }
}
