package dev.capsule.server.audit.internal;

import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.access.Permission;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.audit.SecurityEvent;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The fields of one audit entry before the sequencer gives it an index and a time: what is queued in
 * {@code audit_pending.fields}. Each setter checks its value, so an entry holds only identifiers, short
 * codes, bounded texts that name no person ({@code detail}), pseudonyms and sealed personal details.
 * The field names are the entry format (docs/audit.md):
 *
 * <pre>
 * event    the event's UUID (also the row id in the sealed detail's associated data)
 * type     an {@link AuditEventType} code ("sign-in.password", "key.rotate", "runtime.call"); older entries keep older names
 * outcome  success | failure | denied (runtime events: the runtime's own short outcome)
 * actor, subject   operator or data subject UUIDs
 * reason   lower-case code; apiKey: the API key's public id; key, purpose: a platform or data key's id and purpose
 * app, action, detail   runtime events: the mini-program, the API and its short detail; denials: action is
 *          the method and path pattern; detail: a short text naming no person
 * permission  denials: the permission the endpoint declares
 * user     pseudonym of a runtime user; address: pseudonym of the client address
 * merchant a merchant's public id (mch_…); object: the public id of the payment object acted on (pi_…, tok_…, re_…, mk_…, we_…)
 * sealed   {"subject": uuid, "data": base64}: personal details sealed under the data-subject key "subject" names (since
 *          V117 a person's key of a month, {@link PersonalDetails#monthKey}; before, the person's own key)
 * certificate  {"sha256": hex, "keys": {uuid: true, ...}, "keyCount": n}: an erasure certificate (privacy.erasure)
 * incident the UUID of the incident an entry was written under (the incidents module's steps, and every entry an
 *          operation run through {@code AuditCorrelation.underIncident} wrote)
 * </pre>
 */
final class EntryFields {
    static final int TEXT_CHARS_MAX = 256;
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");
    /** The payments module's public ids: a prefix, an underscore, 26 base32 characters. */
    private static final Pattern OBJECT_ID = Pattern.compile("[a-z]{2,6}_[a-z2-7]{26}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._:/+=-]{1,128}");

    private final Map<String, Object> fields = new TreeMap<>();
    /** The month key {@code sealed} is under, recorded with the entry ({@code audit_detail_keys}); not part of the entry. */
    private PersonalDetails.DetailKey detailKey;

    /** A new entry: its type always comes from the catalogue. */
    EntryFields(UUID event, AuditEventType type) {
        this(event, type.code());
    }

    private EntryFields(UUID event, String type) {
        fields.put("event", Objects.requireNonNull(event, "event").toString());
        fields.put("type", checked(TYPE, type, "type"));
    }

    /** An event recorded before the log existed (V40's security_events rows): its type as it was written then. */
    static EntryFields legacy(UUID event, String type) {
        return new EntryFields(event, type);
    }

    /** The outcome of a platform event: success, failure or denied (one vocabulary for every writer). */
    EntryFields outcome(SecurityEvent.Outcome outcome) {
        return text("outcome", outcome.code());
    }

    /** The runtime's own short outcome of a mini-program call, or a legacy row's outcome as it was written. */
    EntryFields outcome(String outcome) {
        return text("outcome", outcome);
    }

    EntryFields actor(UUID actor) {
        return put("actor", actor == null ? null : actor.toString());
    }

    EntryFields subject(UUID subject) {
        return put("subject", subject == null ? null : subject.toString());
    }

    /** The incident the entry was written under ({@code AuditCorrelation}). */
    EntryFields incident(UUID incident) {
        return put("incident", incident == null ? null : incident.toString());
    }

    EntryFields reason(String reason) {
        return put("reason", reason == null ? null : checked(CODE, reason, "reason"));
    }

    EntryFields apiKey(String apiKeyId) {
        return put("apiKey", apiKeyId == null ? null : checked(KEY_ID, apiKeyId, "apiKey"));
    }

    /** A platform or data key by its id (an identifier, never key material) and purpose code. */
    EntryFields key(String keyId, String purpose) {
        put("key", keyId == null ? null : checked(TOKEN, keyId, "key"));
        return put("purpose", purpose == null ? null : checked(TYPE, purpose, "purpose"));
    }

    /** The permission an endpoint declares, by its code. */
    EntryFields permission(Permission permission) {
        return put("permission", permission == null ? null : permission.code());
    }

    EntryFields app(String appId) {
        return text("app", appId);
    }

    EntryFields action(String action) {
        return text("action", action);
    }

    EntryFields detail(String detail) {
        return text("detail", detail);
    }

    /** A merchant's public id ({@code mch_…}). */
    EntryFields merchant(String merchantId) {
        return put("merchant", merchantId == null ? null : checked(OBJECT_ID, merchantId, "merchant"));
    }

    /** The public id of the payment object an entry is about ({@code pi_…}, {@code tok_…}, {@code re_…}, {@code mk_…}, {@code we_…}). */
    EntryFields object(String objectId) {
        return put("object", objectId == null ? null : checked(OBJECT_ID, objectId, "object"));
    }

    /** A pseudonym (keyed tag) of a runtime user id. */
    EntryFields user(String pseudonym) {
        return put("user", pseudonym == null ? null : checked(TOKEN, pseudonym, "user"));
    }

    /** A pseudonym (keyed tag) of the client address. */
    EntryFields address(String pseudonym) {
        return put("address", pseudonym == null ? null : checked(TOKEN, pseudonym, "address"));
    }

    /** Most data-subject keys an erasure entry lists (the certificate stored with the request lists them all). */
    static final int CERTIFICATE_KEYS_LISTED_MAX = 64;

    /** An erasure certificate: its SHA-256 (hex) and the data-subject keys it destroyed, the first {@link #CERTIFICATE_KEYS_LISTED_MAX}. */
    EntryFields certificate(String sha256, java.util.List<UUID> keys) {
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a certificate digest is 64 hex characters");
        }
        Map<String, Object> listed = new TreeMap<>();
        keys.stream().limit(CERTIFICATE_KEYS_LISTED_MAX).forEach(key -> listed.put(key.toString(), true));
        Map<String, Object> certificate = new TreeMap<>();
        certificate.put("sha256", sha256);
        certificate.put("keys", listed);
        certificate.put("keyCount", (long) keys.size());
        return put("certificate", certificate);
    }

    /** Details sealed under a person's month key (which {@link PendingQueue} records with the entry). */
    EntryFields sealed(PersonalDetails.DetailKey key, String base64) {
        sealed(key.key(), base64);
        detailKey = key;
        return this;
    }

    EntryFields sealed(UUID subject, String base64) {
        detailKey = null;
        Map<String, Object> sealed = new TreeMap<>();
        sealed.put("subject", subject.toString());
        sealed.put("data", Objects.requireNonNull(base64, "data"));
        return put("sealed", sealed);
    }

    /** The month key the sealed details are under, to record with the entry; empty when none is. */
    Optional<PersonalDetails.DetailKey> detailKey() {
        return Optional.ofNullable(detailKey);
    }

    Map<String, Object> asMap() {
        return Collections.unmodifiableMap(fields);
    }

    /** The canonical JSON queued for the sequencer. */
    String json() {
        return CanonicalJson.text(fields);
    }

    private EntryFields text(String name, String value) {
        if (value != null && (value.isEmpty() || value.length() > TEXT_CHARS_MAX || !wellFormed(value))) {
            throw new IllegalArgumentException(name + " must be 1 to " + TEXT_CHARS_MAX + " characters of valid text");
        }
        return put(name, value);
    }

    private EntryFields put(String name, Object value) {
        if (value == null) {
            fields.remove(name);
        } else {
            fields.put(name, value);
        }
        return this;
    }

    private static String checked(Pattern pattern, String value, String name) {
        if (value == null || !pattern.matcher(value).matches()) {
            throw new IllegalArgumentException("audit field " + name + " does not have its form: " + value);
        }
        return value;
    }

    /** No lone surrogates, no control characters: canonical JSON needs well-formed text. */
    private static boolean wellFormed(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c)) {
                return false;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
