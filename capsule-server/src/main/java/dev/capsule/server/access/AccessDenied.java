package dev.capsule.server.access;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A request the server answered with 403: an authorization denial, published by the access module
 * (synchronously, through Spring's {@code ApplicationEventPublisher}) for every 403 any part of the
 * server sends, after the response is decided and outside any transaction of the request, so a denial
 * inside a transaction that rolls back is still recorded. The audit module writes it to the log as
 * {@code access.deny} (docs/audit-events.md).
 *
 * <p>Security guarantees: holds no text a client chose: the reason is a problem type's slug, the action
 * a method and a path pattern of printable ASCII (bounded by {@link #ACTION_CHARS_MAX}), the caller an
 * operator id or an API key's public id, never both; the address is stored only as the audit module
 * allows (a pseudonym, and sealed for the operator).
 *
 * @param operator      the operator who was refused, when the caller is one with a stable id; else null
 * @param apiKeyId      the API key that was refused, when the caller is a machine; else null
 * @param reason        the problem type's slug ("forbidden", "step-up-required", "separation-of-duties", ...)
 * @param action        the method and the endpoint's path pattern ("POST /api/v1/api-keys"); never the raw path
 *                      when the pattern is known, so no username or id a client typed is kept
 * @param permission    the permission the endpoint declares, or null
 * @param clientAddress the client's address, or null
 */
public record AccessDenied(OperatorId operator, String apiKeyId, String reason, String action, Permission permission,
        String clientAddress) {
    private static final Pattern REASON = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** Longest action kept: a method, a space and a path pattern. */
    public static final int ACTION_CHARS_MAX = 200;

    public AccessDenied {
        if (reason == null || !REASON.matcher(reason).matches()) {
            throw new IllegalArgumentException("a denial's reason is a problem type slug, not " + reason);
        }
        Objects.requireNonNull(action, "action");
        if (action.isEmpty() || action.length() > ACTION_CHARS_MAX || !action.chars().allMatch(c -> c > 0x20 && c < 0x7f || c == ' ')) {
            throw new IllegalArgumentException("a denial's action is 1 to " + ACTION_CHARS_MAX + " printable ASCII characters");
        }
        if (operator != null && apiKeyId != null) {
            throw new IllegalArgumentException("a denied caller is an operator or an API key, not both");
        }
    }
}
