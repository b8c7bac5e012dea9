package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.password.PasswordCheck;
import dev.capsule.core.auth.password.PasswordPolicy;
import java.security.SecureRandom;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * Operator passwords: Argon2id hashes (Spring Security's encoder on Bouncy Castle) of the NFKC-normalised
 * password, the NIST SP 800-63B policy of {@link PasswordPolicy}, and one-time passwords.
 *
 * <p>Security guarantees: {@link #matches} takes the same Argon2id work whether or not an operator
 * exists (a dummy hash stands in), so response time does not reveal which usernames exist; input
 * longer than the policy's limit is refused before any hashing work grows with it.
 */
@Component
class Passwords {
    /** OWASP's Argon2id baseline (m = 19 MiB, t = 2, p = 1). */
    static final int ARGON2_MEMORY_KIB = 19_456;
    static final int ARGON2_ITERATIONS = 2;
    static final int ARGON2_PARALLELISM = 1;
    static final int ARGON2_SALT_BYTES = 16;
    static final int ARGON2_HASH_BYTES = 32;
    /** One-time passwords: 4 groups of 5 from a 31-letter alphabet without look-alikes, about 99 bits. */
    static final int ONE_TIME_GROUPS = 4;
    static final int ONE_TIME_GROUP_CHARS = 5;
    private static final String ONE_TIME_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789";

    private final Argon2PasswordEncoder encoder = new Argon2PasswordEncoder(ARGON2_SALT_BYTES, ARGON2_HASH_BYTES,
            ARGON2_PARALLELISM, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS);
    private final PasswordPolicy policy = PasswordPolicy.standard();
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash = encoder.encode(oneTimePassword());

    String hash(String password) {
        return encoder.encode(PasswordPolicy.normalize(password));
    }

    /** Whether {@code password} matches {@code hash}; with a null hash, does the same work and says no. */
    boolean matches(String password, String hash) {
        boolean usable = password != null && password.length() <= PasswordPolicy.INPUT_CHARS_MAX;
        String candidate = usable ? PasswordPolicy.normalize(password) : "";
        boolean matched = encoder.matches(candidate, hash == null ? dummyHash : hash);
        return usable && hash != null && matched;
    }

    PasswordCheck check(String password, String username) {
        return policy.check(password, username);
    }

    /** A random password for a new or reset account, which the operator must change at first sign-in. */
    String oneTimePassword() {
        StringBuilder password = new StringBuilder();
        for (int group = 0; group < ONE_TIME_GROUPS; group++) {
            if (group > 0) {
                password.append('-');
            }
            for (int i = 0; i < ONE_TIME_GROUP_CHARS; i++) {
                password.append(ONE_TIME_ALPHABET.charAt(random.nextInt(ONE_TIME_ALPHABET.length())));
            }
        }
        return password.toString();
    }
}
