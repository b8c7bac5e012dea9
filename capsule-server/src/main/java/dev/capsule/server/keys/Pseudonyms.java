package dev.capsule.server.keys;

/**
 * Stable pseudonyms for values that must not appear in clear (a client address in the audit log):
 * the same value always gets the same tag under the current key, so an auditor can correlate events
 * from one address without learning it.
 *
 * <p>Security guarantees: a tag is HMAC-SHA256 of the value under the platform's {@code pseudonyms}
 * key (RFC 2104, Tink), truncated to 128 bits and written as 32 lower-case hex characters; without
 * the key, a tag reveals nothing about the value, even for values from a small space, because the
 * key is a random 256-bit secret that never leaves the keys module. Rotating the {@code pseudonyms}
 * key changes every tag from then on (old tags stay as they are, so correlation across a rotation is
 * lost on purpose).
 */
public interface Pseudonyms {
    /** Characters of a tag (128 bits in hex). */
    int TAG_CHARS = 32;
    /** Longest value accepted (UTF-8 characters); longer values are not identifiers. */
    int VALUE_CHARS_MAX = 4096;

    /** The pseudonym of {@code value}: 32 lower-case hex characters. */
    String tag(String value);
}
