package dev.capsule.core.auth.password;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Capsule's operator password policy, after NIST SP 800-63B §5.1.1.2 (memorized secrets): a length
 * floor and ceiling, a blocklist of common, context-specific and patterned passwords, and nothing else —
 * no composition rules (no "one digit, one symbol"), which NIST advises against because they make
 * passwords harder to remember without making them harder to guess.
 *
 * <p>Rules, checked in this order, the first broken one reported:
 * <ol>
 *   <li>length: at least {@value #PASSWORD_CHARS_MIN} and at most {@value #PASSWORD_CHARS_MAX}
 *       characters, counted as Unicode code points after NFKC normalisation (so an emoji counts once and
 *       a decomposed accent does not count twice); spaces and every printable Unicode character are
 *       allowed;</li>
 *   <li>no control characters (tabs, line breaks, NUL…), which cannot be typed reliably;</li>
 *   <li>not containing a service name ("capsule", plus any the deployment adds), ignoring case;</li>
 *   <li>not containing the account name (or, for an e-mail address, its local part) if that is at least
 *       {@value #ACCOUNT_NAME_CHARS_CHECKED_MIN} characters, ignoring case;</li>
 *   <li>not on the common-password list (30,000 entries from zxcvbn 4.4.2, see
 *       {@code common-passwords.NOTICE.md}), ignoring case, and not a list entry of at least
 *       {@value #COMMON_CORE_CHARS_MIN} characters with only digits and symbols added before or after it
 *       ({@code Password2024!});</li>
 *   <li>not a repeated unit ({@code abcabcabcabc}, {@code aaaaaaaaaaaa}) or a straight run of
 *       consecutive characters ({@code abcdefghijkl}, {@code 987654321098}), the "repetitive or
 *       sequential characters" NIST names.</li>
 * </ol>
 *
 * <p>Security guarantees: outcomes and messages never contain the password. The work per check is bounded:
 * input longer than {@value #INPUT_CHARS_MAX} UTF-16 units is rejected as too long before it is
 * normalised. The list is loaded once, lazily. The caller must hash {@link #normalize} of the password
 * (with Argon2id, in the server), at enrolment and at every login, so that the same password typed on
 * keyboards that produce different Unicode forms still matches.
 */
public final class PasswordPolicy {
    /**
     * SP 800-63B-4 requires at least 8 for a password that is one factor of multi-factor authentication
     * (15 when it is the only factor); operators always pair it with TOTP, and Capsule asks for 12.
     */
    public static final int PASSWORD_CHARS_MIN = 12;
    /** NIST asks that at least 64 be allowed; 128 leaves room for passphrases and bounds hashing work. */
    public static final int PASSWORD_CHARS_MAX = 128;
    /** Raw input longer than this is too long without normalising it (NFKC may shrink text, never below a quarter of this). */
    public static final int INPUT_CHARS_MAX = 4 * PASSWORD_CHARS_MAX;
    /** Shorter account names ("al") would reject too many good passwords to be worth checking. */
    public static final int ACCOUNT_NAME_CHARS_CHECKED_MIN = 3;
    /** A list entry shorter than this ("abc", "qwe") is too common a fragment to reject padded variants of. */
    public static final int COMMON_CORE_CHARS_MIN = 4;

    private static final PasswordPolicy STANDARD = new PasswordPolicy(List.of());

    private final List<String> serviceNames;

    /**
     * A policy that also rejects passwords containing any of {@code extraServiceNames} (for example the
     * deployment's organisation name), besides "capsule".
     */
    public PasswordPolicy(List<String> extraServiceNames) {
        Objects.requireNonNull(extraServiceNames, "extraServiceNames");
        this.serviceNames = Stream.concat(Stream.of("capsule"), extraServiceNames.stream())
                .map(name -> {
                    if (name == null || name.isBlank()) {
                        throw new IllegalArgumentException("a service name must not be blank");
                    }
                    return fold(name);
                })
                .toList();
    }

    /** The policy with "capsule" as the only service name. */
    public static PasswordPolicy standard() {
        return STANDARD;
    }

    /**
     * The form of a password to check and to hash: NFKC (NIST SP 800-63B §5.1.1.2 asks for a
     * normalisation before hashing so that equivalent Unicode input gives the same hash).
     */
    public static String normalize(CharSequence password) {
        return Normalizer.normalize(Objects.requireNonNull(password, "password"), Normalizer.Form.NFKC);
    }

    /**
     * Checks a new password for the account {@code accountName}.
     *
     * @param accountName the login name or e-mail address the password is for
     */
    public PasswordCheck check(CharSequence password, String accountName) {
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(accountName, "accountName");
        if (password.length() > INPUT_CHARS_MAX) {
            return reject(PasswordRule.TOO_LONG);
        }
        String normal = normalize(password);
        int length = normal.codePointCount(0, normal.length());
        if (length < PASSWORD_CHARS_MIN) {
            return reject(PasswordRule.TOO_SHORT);
        }
        if (length > PASSWORD_CHARS_MAX) {
            return reject(PasswordRule.TOO_LONG);
        }
        if (normal.codePoints().anyMatch(cp -> Character.getType(cp) == Character.CONTROL)) {
            return reject(PasswordRule.CONTROL_CHARACTERS);
        }
        String folded = fold(normal);
        if (serviceNames.stream().anyMatch(folded::contains)) {
            return reject(PasswordRule.CONTAINS_SERVICE_NAME);
        }
        if (containsAccountName(folded, fold(accountName))) {
            return reject(PasswordRule.CONTAINS_ACCOUNT_NAME);
        }
        if (isCommon(folded)) {
            return reject(PasswordRule.COMMON_PASSWORD);
        }
        if (Patterns.isRepetitive(folded) || Patterns.isSequential(folded)) {
            return reject(PasswordRule.REPETITIVE_OR_SEQUENTIAL);
        }
        return new PasswordCheck.Acceptable();
    }

    private static boolean containsAccountName(String password, String account) {
        String name = account.strip();
        if (name.codePointCount(0, name.length()) >= ACCOUNT_NAME_CHARS_CHECKED_MIN && password.contains(name)) {
            return true;
        }
        int at = name.indexOf('@');
        if (at > 0) {
            String local = name.substring(0, at);
            return local.codePointCount(0, local.length()) >= ACCOUNT_NAME_CHARS_CHECKED_MIN && password.contains(local);
        }
        return false;
    }

    private static boolean isCommon(String password) {
        if (CommonPasswords.entries().contains(password)) {
            return true;
        }
        String core = Patterns.stripNonLetterEnds(password);
        return core.length() != password.length()
                && core.codePointCount(0, core.length()) >= COMMON_CORE_CHARS_MIN
                && CommonPasswords.entries().contains(core);
    }

    /** NFKC, then locale-independent lower case: how every comparison here ignores case. */
    private static String fold(String text) {
        return normalize(text).toLowerCase(Locale.ROOT);
    }

    private static PasswordCheck reject(PasswordRule rule) {
        return new PasswordCheck.Rejected(rule);
    }
}
