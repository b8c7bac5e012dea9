package dev.capsule.server.registry;

import dev.capsule.server.access.OperatorId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Something that happened in the registry, published synchronously through Spring's
 * {@code ApplicationEventPublisher}; the audit module writes each to the log as the catalogue type of
 * its {@link Activity} (docs/audit-events.md). Changes publish inside their transaction, so an audit log
 * that cannot be written fails the change; refusals ({@code succeeded} false) publish after nothing was
 * stored, with the problem type as {@code reason}.
 *
 * <p>Security guarantees: an event holds ids, versions and short codes, never package contents or
 * text a developer wrote (reasons a reviewer types stay in the registry's tables, not in the log); an
 * action is attributed to an operator ({@code actor}) or to an API key ({@code apiKey}), never to nobody.
 *
 * @param activity     what happened
 * @param succeeded    false for a refused attempt
 * @param actor        the operator, or null when an API key acted
 * @param apiKey       the API key's public id, or null when an operator acted
 * @param organisation the organisation concerned, or null
 * @param app          the mini-program concerned, or null
 * @param detail       a short text: the version, the key id, the risk profile; or null
 * @param reason       the problem type's slug of a refusal; or null
 */
public record RegistryEvent(Activity activity, boolean succeeded, OperatorId actor, String apiKey, OrganisationId organisation,
                            MiniProgramId app, String detail, String reason) {
    private static final Pattern API_KEY = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    /** A detail is one short line of printable ASCII (versions, key ids, codes). */
    private static final Pattern DETAIL = Pattern.compile("[\\x20-\\x7e]{1,200}");

    /** What happened; each is one audit catalogue type. (Not "Kind": the keys module's event has a {@code Kind}.) */
    public enum Activity {
        ORGANISATION_REGISTER, ORGANISATION_VERIFY, ORGANISATION_ADD_MEMBER, ORGANISATION_SUSPEND, ORGANISATION_LIFT_SUSPENSION,
        MINI_PROGRAM_REGISTER,
        DEVELOPER_KEY_ADD, DEVELOPER_KEY_REVOKE, PACKAGE_SUBMIT, PACKAGE_EXCEPTION, PACKAGE_APPROVE, PACKAGE_REJECT
    }

    public RegistryEvent {
        Objects.requireNonNull(activity, "activity");
        if ((actor == null) == (apiKey == null)) {
            throw new IllegalArgumentException("a registry event names exactly one of an operator and an API key");
        }
        if (apiKey != null && !API_KEY.matcher(apiKey).matches()) {
            throw new IllegalArgumentException("an API key id is 16 lower-case hex digits");
        }
        if (detail != null && !DETAIL.matcher(detail).matches()) {
            throw new IllegalArgumentException("a detail is 1 to 200 printable ASCII characters");
        }
        if (reason != null && !CODE.matcher(reason).matches()) {
            throw new IllegalArgumentException("a reason is a lower-case code");
        }
        if (succeeded != (reason == null)) {
            throw new IllegalArgumentException("a refused event has a reason and a successful one has none");
        }
    }
}
