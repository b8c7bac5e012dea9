package dev.capsule.core.auth.password;

/**
 * The rules of {@link PasswordPolicy}, each with the sentence to show the person choosing a password.
 * No message quotes the password.
 */
public enum PasswordRule {
    TOO_SHORT("Use at least " + PasswordPolicy.PASSWORD_CHARS_MIN + " characters."),
    TOO_LONG("Use at most " + PasswordPolicy.PASSWORD_CHARS_MAX + " characters."),
    CONTROL_CHARACTERS("Passwords cannot contain control characters such as tabs or line breaks."),
    CONTAINS_SERVICE_NAME("Do not use the name of this service in your password."),
    CONTAINS_ACCOUNT_NAME("Do not use your account name in your password."),
    COMMON_PASSWORD("This password is on a list of commonly used passwords (alone or with digits or symbols added); choose another."),
    REPETITIVE_OR_SEQUENTIAL("Do not use a repeated or sequential pattern such as \"abcabcabc\" or \"123456789\".");

    private final String userMessage;

    PasswordRule(String userMessage) {
        this.userMessage = userMessage;
    }

    /** One sentence for the user, in English. */
    public String userMessage() {
        return userMessage;
    }
}
