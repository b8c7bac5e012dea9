package dev.capsule.core.httpsig;

import dev.capsule.core.httpsig.StructuredFields.ByteSequence;
import dev.capsule.core.httpsig.StructuredFields.Item;
import dev.capsule.core.httpsig.StructuredFields.Member;
import dev.capsule.core.httpsig.StructuredFields.StructuredFieldException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * RFC 9530 {@code Content-Digest}: a Dictionary of hashing algorithm to the digest of the message content (the
 * bytes as sent, before any decoding of the representation). Algorithms {@code sha-256} and {@code sha-512}
 * (RFC 9530 §5, the only two "Active" ones).
 *
 * <p>Security guarantees: {@link #check} answers {@link Check#MATCHES} only when the field names at least one
 * supported algorithm and every supported algorithm it names matches (an attacker cannot add a wrong digest next to
 * a right one); unknown and deprecated algorithms are ignored (never trusted); comparison is constant-time.
 */
public final class ContentDigest {
    public static final String FIELD = "Content-Digest";
    public static final String SHA_256 = "sha-256";
    public static final String SHA_512 = "sha-512";

    private ContentDigest() {
    }

    /** The outcome of checking a Content-Digest field against content. */
    public enum Check {
        MATCHES,
        /** A supported algorithm's digest differs from the content's. */
        MISMATCH,
        /** The field names no supported algorithm. */
        NO_SUPPORTED_ALGORITHM,
        /** The field is absent or not a valid Dictionary of byte sequences. */
        MALFORMED
    }

    /** The field value {@code sha-256=:…:} for {@code content}. */
    public static String sha256(byte[] content) {
        return of(SHA_256, content);
    }

    /** The field value for {@code content} with {@code algorithm} ({@code sha-256} or {@code sha-512}). */
    public static String of(String algorithm, byte[] content) {
        return StructuredFields.serializeDictionary(Map.of(algorithm, Item.of(new ByteSequence(digest(algorithm, content)))));
    }

    /** Checks a received field value against the content received. */
    public static Check check(String field, byte[] content) {
        Map<String, Member> digests;
        try {
            digests = StructuredFields.parseDictionary(field);
        } catch (StructuredFieldException e) {
            return Check.MALFORMED;
        }
        boolean checked = false;
        for (Map.Entry<String, Member> entry : digests.entrySet()) {
            if (!(entry.getValue() instanceof Item item) || !(item.value() instanceof ByteSequence claimed)) {
                return Check.MALFORMED;
            }
            if (entry.getKey().equals(SHA_256) || entry.getKey().equals(SHA_512)) {
                if (!MessageDigest.isEqual(digest(entry.getKey(), content), claimed.bytes())) {
                    return Check.MISMATCH;
                }
                checked = true;
            }
        }
        return checked ? Check.MATCHES : Check.NO_SUPPORTED_ALGORITHM;
    }

    private static byte[] digest(String algorithm, byte[] content) {
        String jdk = switch (algorithm) {
            case SHA_256 -> "SHA-256";
            case SHA_512 -> "SHA-512";
            default -> throw new IllegalArgumentException("Content-Digest algorithms: sha-256, sha-512");
        };
        try {
            return MessageDigest.getInstance(jdk).digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no " + jdk, e);
        }
    }
}
