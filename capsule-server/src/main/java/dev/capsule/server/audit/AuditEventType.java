package dev.capsule.server.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The one catalogue of audit event types: every entry the server appends to the audit log has one of
 * these types, and every writer of the audit module takes its type from here. docs/audit-events.md is
 * generated from this enum ({@code AuditEventsDocumentTest} fails when it is stale).
 *
 * <p>Names are {@code <object>.<action>}: lower-case words joined by hyphens, one dot, the action in
 * its base form ("api-key.approve", "key.rotate"), never a past tense or a bare word; whether it
 * happened is the entry's {@code outcome}. Entries already in the log keep the type they were written
 * with (the log is never rewritten); {@link #formerCodes()} are the names an older server wrote for the
 * same event, and {@link #fromCode} reads both.
 *
 * <p>Security guarantees: a type is a fixed code, never text a caller chose.
 */
public enum AuditEventType {
    SIGN_IN_PASSWORD("sign-in.password", Emitter.IDENTITY, "SecurityEvent", "success, failure",
            "actor, subject (the operator, when the username is known), reason, address", List.of()),
    SIGN_IN_TOTP("sign-in.totp", Emitter.IDENTITY, "SecurityEvent", "success, failure",
            "actor, subject, reason, address", List.of()),
    SIGN_IN_RECOVERY_CODE("sign-in.recovery-code", Emitter.IDENTITY, "SecurityEvent", "success, failure",
            "actor, subject, reason, address", List.of()),
    PASSWORD_CHANGE("password.change", Emitter.IDENTITY, "SecurityEvent", "success, failure",
            "actor, subject (both the operator), reason, address", List.of()),
    MFA_ENROL("mfa.enrol", Emitter.IDENTITY, "SecurityEvent", "success, failure", "actor, subject, reason, address", List.of()),
    MFA_STEP_UP("mfa.step-up", Emitter.IDENTITY, "SecurityEvent", "success, failure", "actor, subject, reason, address",
            List.of("step-up")),
    RECOVERY_CODES_REPLACE("recovery-codes.replace", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address",
            List.of("mfa.recovery-codes")),
    OPERATOR_BOOTSTRAP("operator.bootstrap", Emitter.IDENTITY, "SecurityEvent", "success", "subject (the first admin)", List.of()),
    OPERATOR_CREATE("operator.create", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject (the new operator), address",
            List.of()),
    OPERATOR_ASSIGN_ROLES("operator.assign-roles", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address",
            List.of("operator.roles")),
    OPERATOR_DISABLE("operator.disable", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address", List.of()),
    OPERATOR_ENABLE("operator.enable", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address", List.of()),
    OPERATOR_MFA_RESET("operator.mfa-reset", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address", List.of()),
    OPERATOR_PASSWORD_RESET("operator.password-reset", Emitter.IDENTITY, "SecurityEvent", "success", "actor, subject, address",
            List.of()),
    OPERATOR_SIGN_OUT_ALL("operator.sign-out-all", Emitter.IDENTITY, "SecurityEvent", "success",
            "actor (who ended every other operator session), address, incident (when done from an incident)", List.of()),

    API_KEY_CREATE("api-key.create", Emitter.ACCESS, "ApiKeyEvent.Created", "success",
            "actor, apiKey, detail (the developer organisation the key is bound to, if any)", List.of()),
    API_KEY_APPROVE("api-key.approve", Emitter.ACCESS, "ApiKeyEvent.Approved", "success", "actor, apiKey", List.of()),
    API_KEY_REVOKE("api-key.revoke", Emitter.ACCESS, "ApiKeyEvent.Revoked", "success", "actor, apiKey", List.of()),
    API_KEY_AUTHENTICATE("api-key.authenticate", Emitter.ACCESS, "ApiKeyEvent.Refused",
            "failure (only refusals of an existing key are recorded)",
            "apiKey, reason (wrong-secret, not-approved, revoked, expired), address", List.of("api-key.refused")),
    ACCESS_DENY("access.deny", Emitter.ACCESS, "AccessDenied", "denied",
            "actor (an operator) or apiKey (a machine) or neither (anonymous), reason (the problem type: forbidden, "
                    + "step-up-required, separation-of-duties, csrf-token-invalid, ...), action (method and path pattern), "
                    + "permission (when the endpoint declares one), address", List.of()),
    ACCESS_DENY_SUMMARY("access.deny-summary", Emitter.AUDIT, "(the audit module itself)", "denied",
            "reason, detail (how many denials with that reason were counted but not recorded one by one, and since when)",
            List.of()),

    KEY_CREATE("key.create", Emitter.KEYS, "KeyEvent", "success", "key, purpose, actor", List.of("key.created")),
    KEY_ROTATE("key.rotate", Emitter.KEYS, "KeyEvent", "success", "key (the new primary), purpose, actor", List.of("key.rotated")),
    KEY_RETIRE("key.retire", Emitter.KEYS, "KeyEvent", "success", "key, purpose", List.of("key.retired")),
    KEY_DESTROY("key.destroy", Emitter.KEYS, "KeyEvent", "success", "key, purpose, actor", List.of("key.destroyed")),
    SUBJECT_KEY_ERASE("subject-key.erase", Emitter.KEYS, "KeyEvent", "success", "purpose, subject (the data subject), actor",
            List.of("subject-key.erased")),

    ORGANISATION_REGISTER("organisation.register", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, detail (the organisation)", List.of()),
    ORGANISATION_VERIFY("organisation.verify", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, detail (the organisation)", List.of()),
    ORGANISATION_ADD_MEMBER("organisation.add-member", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, detail (the organisation and the member operator)", List.of()),
    ORGANISATION_SUSPEND("organisation.suspend", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor, detail (the organisation), reason (suspension-state: suspended already), incident (when done from an incident)", List.of()),
    ORGANISATION_LIFT_SUSPENSION("organisation.lift-suspension", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor, detail (the organisation), reason (suspension-state: not suspended), incident (when done from an incident)", List.of()),
    MINI_PROGRAM_REGISTER("mini-program.register", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, app, detail (the owning organisation)", List.of()),
    DEVELOPER_KEY_ADD("developer-key.add", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, detail (the organisation and the key id)", List.of()),
    DEVELOPER_KEY_REVOKE("developer-key.revoke", Emitter.REGISTRY, "RegistryEvent", "success",
            "actor, detail (the organisation and the key id)", List.of()),
    PACKAGE_SUBMIT("package.submit", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor (an operator) or apiKey, app, detail (organisation, version), reason (the problem type of a refusal)",
            List.of()),
    PACKAGE_EXCEPTION("package.exception", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor (the security officer), app, detail (version), reason", List.of()),
    PACKAGE_APPROVE("package.approve", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor (the reviewer), app, detail (version and risk profile), reason (the problem type of a refusal)",
            List.of()),
    PACKAGE_REJECT("package.reject", Emitter.REGISTRY, "RegistryEvent", "success, failure",
            "actor (the reviewer), app, detail (version), reason", List.of()),
    RELEASE_PUBLISH("release.publish", Emitter.RELEASES, "ReleaseEvent", "success",
            "actor (the approver), app, detail (the version)", List.of()),
    RELEASE_ROLLOUT("release.rollout", Emitter.RELEASES, "ReleaseEvent", "success, failure",
            "actor, app, detail (version and percent), reason (why refused: percent-not-growing, rollout-paused, no-rollout, ...)", List.of()),
    RELEASE_PAUSE("release.pause", Emitter.RELEASES, "ReleaseEvent", "success, failure", "actor, app, detail (the version), reason",
            List.of()),
    RELEASE_RESUME("release.resume", Emitter.RELEASES, "ReleaseEvent", "success, failure", "actor, app, detail (the version), reason",
            List.of()),
    RELEASE_ROLLBACK("release.rollback", Emitter.RELEASES, "ReleaseEvent", "success, failure",
            "actor, app, detail (the version now served), reason (not-released, not-earlier, revoked, ...)", List.of()),
    RELEASE_REVOKE("release.revoke", Emitter.RELEASES, "ReleaseEvent", "success, failure",
            "actor, app, detail (the version), reason (not-released, already-revoked)", List.of()),
    RUNTIME_MINIMUM_SET("runtime-minimum.set", Emitter.RELEASES, "ReleaseEvent", "success, failure",
            "actor, detail (the minimum runtime version), reason (not-raised)", List.of()),

    SESSION_GRANT_ISSUE("session-grant.issue", Emitter.HOST, "HostEvent", "success, failure",
            "actor or apiKey (who asked), app (when the grant is for one mini-program), user (a pseudonym of the super-app's user id), "
                    + "reason (why refused)", List.of()),
    SHELL_ENTER("shell.enter", Emitter.HOST, "HostEvent", "success, denied",
            "app (when the grant is for one), user (a pseudonym), detail (grant or demo), reason (grant-malformed, "
                    + "grant-unknown-used-or-expired, demo-users-off)", List.of()),
    CONSENT_DECIDE("consent.decide", Emitter.HOST, "HostEvent", "success, failure",
            "app, detail (allow or deny), reason (too-many-scopes, history-full: not remembered, asked again)", List.of()),
    CONSENT_WITHDRAW("consent.withdraw", Emitter.HOST, "HostEvent", "success",
            "app, user (a pseudonym, when withdrawn in the shell), detail (the scope)", List.of("consent.revoke")),
    CONSENT_ALLOW("consent.allow", Emitter.HOST, "HostEvent", "success, failure",
            "app, user (a pseudonym, when allowed in the shell), detail (the scope), reason (history-full)", List.of()),
    SESSION_OPEN("session.open", Emitter.HOST, "HostEvent", "success", "app, user (a pseudonym), detail", List.of()),
    SESSION_END("session.end", Emitter.HOST, "HostEvent", "success", "app, user (a pseudonym), detail (why it ended)", List.of()),
    SESSION_REFUSE("session.refuse", Emitter.HOST, "HostEvent", "denied, failure",
            "app, user (a pseudonym), reason (the limit or refusal code)", List.of()),
    RESIDENCY_REFUSE("residency.refuse", Emitter.HOST, "HostEvent", "denied",
            "app (a payment sheet's), user (a pseudonym), reason (payments: kept in the home region only, docs/residency.md)", List.of()),

    MERCHANT_REGISTER("merchant.register", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "actor, merchant, detail (the organisation and mini-programs), reason (the problem type of a refusal)", List.of()),
    MERCHANT_STATE("merchant.state", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "actor, merchant, detail (disabled, enabled), reason (the problem type of a refusal)", List.of()),
    MERCHANT_KEY_ADD("merchant-key.add", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "actor, merchant, object (the key), detail (ed25519, hmac-sha256), reason (the problem type of a refusal)", List.of()),
    MERCHANT_KEY_REVOKE("merchant-key.revoke", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "actor, merchant, object (the key), detail (its algorithm), reason (the problem type of a refusal)", List.of()),
    CARD_TOKENIZE("card.tokenize", Emitter.PAYMENTS, "PaymentEvent", "success, denied, failure",
            "merchant, user (a pseudonym), object (the token), detail (new, existing), reason (why refused)", List.of()),
    CARD_DETOKENIZE("card.detokenize", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "merchant, user (a pseudonym), object (the token), detail (the payment intent), reason (unknown-token)", List.of()),
    CARD_REMOVE("card.remove", Emitter.PAYMENTS, "PaymentEvent", "success, denied",
            "merchant, user (a pseudonym), object (the token), reason (unknown-token)", List.of()),
    PAYMENT_INTENT_CREATE("payment-intent.create", Emitter.PAYMENTS, "PaymentEvent", "success",
            "merchant, app, object (the intent), detail (amount and currency)", List.of()),
    PAYMENT_INTENT_TRANSITION("payment-intent.transition", Emitter.PAYMENTS, "PaymentEvent", "success, failure",
            "merchant, app, user (a pseudonym, once bound), object (the intent), detail (from->to), reason", List.of()),
    REFUND_CREATE("refund.create", Emitter.PAYMENTS, "PaymentEvent", "success, failure",
            "merchant, object (the refund), detail (the intent and amount), reason", List.of()),
    WALLET_CREDIT("wallet.credit", Emitter.PAYMENTS, "PaymentEvent", "success, failure",
            "actor or apiKey, user (a pseudonym), detail (amount and currency), reason", List.of()),
    WEBHOOK_ENDPOINT_CHANGE("webhook-endpoint.change", Emitter.PAYMENTS, "PaymentEvent", "success",
            "actor (when an operator), merchant, object (the endpoint), detail (added, rotated)", List.of()),
    WEBHOOK_ENDPOINT_DISABLE("webhook-endpoint.disable", Emitter.PAYMENTS, "PaymentEvent", "success",
            "actor (when an operator), merchant, object (the endpoint), detail (merchant, operator, gone, failing)", List.of()),
    PAYMENT_SHEET_REFUSE("payment-sheet.refuse", Emitter.PAYMENTS, "PaymentEvent", "denied",
            "merchant (when known), app, user (a pseudonym), object (the intent, when known), reason (the refusal code)", List.of()),
    LEDGER_STATEMENT("ledger.statement", Emitter.LEDGER, "LedgerEvent", "success",
            "detail (the day; per ledger: accounts, total debits, total credits; a digest of every balance)", List.of()),
    LEDGER_VERIFY("ledger.verify", Emitter.LEDGER, "LedgerEvent", "success, failure",
            "actor (when an operator asked), detail (counts and the first problem)", List.of()),

    PRIVACY_REQUEST_FILE("privacy-request.file", Emitter.PRIVACY, "PrivacyEvent", "success",
            "reason (export or erasure), detail (the request id), user (the person, a pseudonym), actor (the operator who filed it for them)",
            List.of()),
    PRIVACY_REQUEST_VERIFY("privacy-request.verify", Emitter.PRIVACY, "PrivacyEvent", "success",
            "reason, detail (the request id), user: the person confirmed it signed in to the shell (the host vouched for them)", List.of()),
    PRIVACY_EXPORT("privacy.export", Emitter.PRIVACY, "PrivacyEvent", "success", "reason, detail (the request id), user", List.of()),
    PRIVACY_ERASURE("privacy.erasure", Emitter.PRIVACY, "PrivacyEvent", "success",
            "reason, detail (the request id), user, certificate: the erasure certificate's SHA-256 and the destroyed data-subject keys"
                    + " (the first 64, and their count)", List.of()),
    PRIVACY_REQUEST_FAIL("privacy-request.fail", Emitter.PRIVACY, "PrivacyEvent", "failure",
            "reason, detail (the request id), user: carrying it out failed; it stays verified, to be confirmed again", List.of()),
    INCIDENT_OPEN("incident.open", Emitter.INCIDENTS, "IncidentEvent", "success",
            "actor, incident, detail (the severity)", List.of()),
    INCIDENT_CONTAIN("incident.contain", Emitter.INCIDENTS, "IncidentEvent", "success, failure",
            "actor, incident, detail (the state reached), reason (incident-state: not the next step)", List.of()),
    INCIDENT_CLOSE("incident.close", Emitter.INCIDENTS, "IncidentEvent", "success, failure",
            "actor, incident, detail (the state reached), reason (incident-state: not the next step)", List.of()),
    INCIDENT_NOTE("incident.note", Emitter.INCIDENTS, "IncidentEvent", "success, failure",
            "actor, incident (the note's text stays in the incident record), reason (incident-state: closed; incident-notes-full)", List.of()),

    RETENTION_SWEEP("retention.sweep", Emitter.PLATFORM, "RetentionSweep", "success, failure",
            "action (the purge), detail (its data category, rows deleted, the cutoff: rows older were eligible; for a failure, "
                    + "rows deleted before it and the exception's class and SQL state), reason (run-failed): one entry per run that "
                    + "deleted rows or failed, none for a run that deleted nothing (docs/retention.md)", List.of()),
    AUDIT_REVEAL("audit.reveal", Emitter.AUDIT, "(the audit module itself)", "success",
            "actor (the auditor), subject (the person), detail (which entry), address", List.of()),
    RUNTIME_CALL("runtime.call", Emitter.RUNTIME, "runtime AuditEvent (through AuditSink)",
            "the runtime's own (allowed, denied, violation, ...)", "app, user (a pseudonym), action (the wx API), detail",
            List.of("runtime"));


    /** The module whose event records become entries of a type. */
    public enum Emitter {
        PLATFORM("platform"), IDENTITY("identity"), ACCESS("access"), KEYS("keys"), AUDIT("audit"), RUNTIME("capsule-runtime"),
        REGISTRY("registry"), RELEASES("releases"), HOST("host"),
        PAYMENTS("payments"), LEDGER("ledger"), PRIVACY("privacy"), INCIDENTS("incidents");

        private final String module;

        Emitter(String module) {
            this.module = module;
        }

        public String module() {
            return module;
        }
    }

    private final String code;
    private final Emitter emitter;
    private final String record;
    private final String outcomes;
    private final String fields;
    private final List<String> formerCodes;

    AuditEventType(String code, Emitter emitter, String record, String outcomes, String fields, List<String> formerCodes) {
        if (!Pattern.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*\\.[a-z][a-z0-9]*(-[a-z0-9]+)*", code)) {
            throw new IllegalArgumentException("an audit event type is <object>.<action>: " + code);
        }
        this.code = code;
        this.emitter = Objects.requireNonNull(emitter);
        this.record = record;
        this.outcomes = outcomes;
        this.fields = fields;
        this.formerCodes = List.copyOf(formerCodes);
    }

    /** The entry's {@code type}. */
    public String code() {
        return code;
    }

    public Emitter emitter() {
        return emitter;
    }

    /** The event record the emitter publishes, for the documentation. */
    public String record() {
        return record;
    }

    /** The outcomes an entry of this type can have, in words. */
    public String outcomes() {
        return outcomes;
    }

    /** The entry fields besides event, type, outcome and time, in words. */
    public String fields() {
        return fields;
    }

    /** Names an older server wrote for the same event; entries with them stay in the log as written. */
    public List<String> formerCodes() {
        return formerCodes;
    }

    /** The type an entry's {@code type} names, by its current or a former code. */
    public static Optional<AuditEventType> fromCode(String code) {
        for (AuditEventType type : values()) {
            if (type.code.equals(code) || type.formerCodes.contains(code)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
