package dev.capsule.core.release;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.text.SafeText;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/** The value rules shared by the release formats: ids, versions, digests, actors, reasons and times. */
final class Fields {
    /** An actor is an operator or service id (a UUID, "operator:<uuid>", "system"): short and without spaces. */
    static final int ACTOR_CHARS_MAX = 128;
    private static final Pattern ACTOR = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@+-]{0,127}");
    /** A revocation reason is one line a security officer writes. */
    static final int REASON_CHARS_MAX = 500;
    static final String DIGEST_PREFIX = "sha256:";

    private Fields() {}

    static String appId(String appId) {
        if (!CapsuleManifest.isValidId(appId)) {
            throw new IllegalArgumentException("appId '" + SafeText.escape(String.valueOf(appId), 140)
                    + "' is not a mini-program id like com.example.app");
        }
        return appId;
    }

    static String version(String version, String field) {
        if (!SemanticVersion.isValid(version)) {
            throw new IllegalArgumentException(field + " '" + SafeText.escape(String.valueOf(version), 80) + "' is not a semantic version like 1.2.0");
        }
        return version;
    }

    static String actor(String actor, String field) {
        if (actor == null || !ACTOR.matcher(actor).matches()) {
            throw new IllegalArgumentException(field + " must be 1.." + ACTOR_CHARS_MAX
                    + " characters of letters, digits and ._:@+- (an operator id)");
        }
        return actor;
    }

    static String reason(String reason) {
        if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX
                || reason.codePoints().anyMatch(SafeText::isUnsafe)) {
            throw new IllegalArgumentException("reason must be one line of 1.." + REASON_CHARS_MAX
                    + " characters without control or line-separator characters");
        }
        return reason;
    }

    static Instant time(Instant time, String field) {
        Objects.requireNonNull(time, field);
        if (time.getNano() != 0 || time.getEpochSecond() < 0 || time.getEpochSecond() > 253_402_300_799L) {
            throw new IllegalArgumentException(field + " must be whole seconds between 1970 and 9999");
        }
        return time;
    }

    /** RFC 3339 UTC with whole seconds: {@code 2026-12-06T21:50:35Z}. */
    static String timeText(Instant time) {
        return time.toString();
    }

    static Instant parseTime(String text, String field) {
        try {
            Instant time = Instant.parse(text);
            if (time.getNano() == 0 && time.toString().equals(text)) {
                return time(time, field);
            }
        } catch (DateTimeException | IllegalArgumentException e) {
            // fall through to the one message below
        }
        throw new IllegalArgumentException(field + " must be an RFC 3339 UTC time with whole seconds, like 2026-12-06T21:50:35Z");
    }

    static String digestText(Sha256 digest) {
        return DIGEST_PREFIX + digest.hex();
    }

    static Sha256 parseDigest(String text, String field) {
        if (text == null || !text.startsWith(DIGEST_PREFIX)) {
            throw new IllegalArgumentException(field + " must be sha256:<64 lower-case hex>");
        }
        try {
            return Sha256.fromHex(text.substring(DIGEST_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be sha256:<64 lower-case hex>");
        }
    }
}
