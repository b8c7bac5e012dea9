package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.core.manifest.HostName;
import dev.capsule.runtime.net.AllowedUrl;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PaymentEvent;
import dev.capsule.server.payments.WebhookEndpointId;
import dev.capsule.server.platform.ProblemException;
import java.net.URI;
import java.net.URISyntaxException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Webhook endpoints and their signing keys (V98): add, list, rotate, disable. Each change publishes its
 * {@link PaymentEvent} in its transaction.
 *
 * <p>Security guarantees: an endpoint's URL is accepted only if the runtime's SSRF guard would send to it (https, a
 * public-looking host name, no IP literal, no user info: {@link AllowedUrl}, the same check as {@code wx.request}); the
 * guard checks the resolved addresses again at every attempt. Secrets and private keys are sealed under
 * {@link DataPurpose#MERCHANT_SECRETS} bound to their row, shown once at creation or rotation, never listed. A
 * merchant sees and changes only its own endpoints: another merchant's id answers exactly like an unknown one.
 * After a rotation the previous key stays valid for the requested overlap (at most
 * {@link WebhookLimits#ROTATION_OVERLAP_MAX}); a second rotation ends every older key at once, so at most two are ever
 * valid.
 */
@Component
public class WebhookEndpoints {
    private static final String COLUMNS = "endpoint_id, merchant_id, url, events, enabled, disabled_reason, created_at";

    private final JdbcClient jdbc;
    private final FieldEncryption encryption;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    @Autowired
    WebhookEndpoints(JdbcClient jdbc, FieldEncryption encryption, ApplicationEventPublisher events, ObjectProvider<Clock> clocks) {
        this(jdbc, encryption, events, clocks.getIfUnique(Clock::systemUTC));
    }

    WebhookEndpoints(JdbcClient jdbc, FieldEncryption encryption, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.events = events;
        this.clock = clock;
    }

    /** A new endpoint with the secret and public key to show once. */
    public record Created(WebhookEndpoint endpoint, String secret, String publicKey) {
        @Override
        public String toString() {
            return "Created[" + endpoint.id() + ", secret=<redacted>]";
        }
    }

    /**
     * @param actor who did it, for the audit entry: empty for the merchant itself, else the access module's actor id
     */
    @Transactional
    public Created create(MerchantId merchant, String url, List<String> eventTypes, Optional<String> actor) {
        String checkedUrl = checkedUrl(url);
        List<String> types = checkedEvents(eventTypes);
        jdbc.sql("SELECT merchant_id FROM payments_merchant WHERE merchant_id = :m FOR UPDATE").param("m", merchant.value()).query(String.class).single();
        long enabled = jdbc.sql("SELECT count(*) FROM payments_webhook_endpoint WHERE merchant_id = :m AND enabled")
                .param("m", merchant.value()).query(Long.class).single();
        if (enabled >= WebhookLimits.ENDPOINTS_PER_MERCHANT_MAX) {
            throw new ProblemException(WebhookProblems.ENDPOINTS_LIMIT,
                    "a merchant has at most " + WebhookLimits.ENDPOINTS_PER_MERCHANT_MAX + " enabled webhook endpoints; disable one first");
        }
        WebhookEndpointId id = WebhookEndpointId.random();
        Instant now = clock.instant();
        jdbc.sql("INSERT INTO payments_webhook_endpoint (endpoint_id, merchant_id, url, events, enabled, created_by, created_at) "
                        + "VALUES (:id, :m, :url, :events, true, :by, :now)")
                .param("id", id.value()).param("m", merchant.value()).param("url", checkedUrl)
                .param("events", types.toArray(String[]::new)).param("by", actor.orElse("merchant:" + merchant.value()))
                .param("now", utc(now)).update();
        WebhookSigningKey key = WebhookSigningKey.generate();
        try {
            insertKey(id, 1, key, now);
            publish(PaymentEvent.What.WEBHOOK_ENDPOINT_CHANGE, merchant, id, "added", actor);
            return new Created(find(merchant, id).orElseThrow(), key.serializedSecret(), key.serializedPublicKey());
        } finally {
            key.destroy();
        }
    }

    /** The merchant's endpoints, newest first. */
    public List<WebhookEndpoint> list(MerchantId merchant) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_webhook_endpoint WHERE merchant_id = :m ORDER BY created_at DESC, endpoint_id LIMIT :n")
                .param("m", merchant.value()).param("n", WebhookLimits.PAGE_SIZE_MAX).query(this::endpoint).list();
    }

    /** Every merchant's endpoints, newest first, at most {@link WebhookLimits#PAGE_SIZE_MAX} (the console). */
    public List<WebhookEndpoint> recent() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_webhook_endpoint ORDER BY created_at DESC, endpoint_id LIMIT :n")
                .param("n", WebhookLimits.PAGE_SIZE_MAX).query(this::endpoint).list();
    }

    /** The merchant's endpoint, or empty (also for another merchant's). */
    public Optional<WebhookEndpoint> find(MerchantId merchant, WebhookEndpointId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_webhook_endpoint WHERE endpoint_id = :id AND merchant_id = :m")
                .param("id", id.value()).param("m", merchant.value()).query(this::endpoint).optional();
    }

    /** Any merchant's endpoint (operators). */
    public Optional<WebhookEndpoint> find(WebhookEndpointId id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM payments_webhook_endpoint WHERE endpoint_id = :id")
                .param("id", id.value()).query(this::endpoint).optional();
    }

    /** A new current key; the previous one stays valid for {@code overlap}, older ones end now. */
    @Transactional
    public Created rotate(MerchantId merchant, WebhookEndpointId id, Duration overlap, Optional<String> actor) {
        if (overlap.isNegative() || overlap.compareTo(WebhookLimits.ROTATION_OVERLAP_MAX) > 0) {
            throw new IllegalArgumentException("overlap must be 0 to " + WebhookLimits.ROTATION_OVERLAP_MAX);
        }
        WebhookEndpoint endpoint = lock(merchant, id);
        if (!endpoint.enabled()) {
            throw new ProblemException(WebhookProblems.ENDPOINT_DISABLED, "a disabled endpoint's secret cannot be rotated");
        }
        Instant now = clock.instant();
        jdbc.sql("UPDATE payments_webhook_key SET expires_at = :now WHERE endpoint_id = :id AND expires_at > :now")
                .param("id", id.value()).param("now", utc(now)).update();
        jdbc.sql("UPDATE payments_webhook_key SET expires_at = :until WHERE endpoint_id = :id AND expires_at IS NULL")
                .param("id", id.value()).param("until", utc(now.plus(overlap))).update();
        int version = jdbc.sql("SELECT coalesce(max(version), 0) + 1 FROM payments_webhook_key WHERE endpoint_id = :id")
                .param("id", id.value()).query(Integer.class).single();
        WebhookSigningKey key = WebhookSigningKey.generate();
        try {
            insertKey(id, version, key, now);
            publish(PaymentEvent.What.WEBHOOK_ENDPOINT_CHANGE, merchant, id, "rotated", actor);
            return new Created(find(merchant, id).orElseThrow(), key.serializedSecret(), key.serializedPublicKey());
        } finally {
            key.destroy();
        }
    }

    /**
     * Disables the endpoint and cancels its pending deliveries. Disabling a disabled endpoint changes nothing and
     * publishes nothing.
     *
     * @param reason {@code merchant}, {@code operator}, {@code gone} or {@code failing}
     */
    @Transactional
    public WebhookEndpoint disable(MerchantId merchant, WebhookEndpointId id, String reason, Optional<String> actor) {
        WebhookEndpoint endpoint = lock(merchant, id);
        if (endpoint.enabled()) {
            Instant now = clock.instant();
            jdbc.sql("UPDATE payments_webhook_endpoint SET enabled = false, disabled_reason = :reason, disabled_by = :by, disabled_at = :now "
                            + "WHERE endpoint_id = :id")
                    .param("reason", reason).param("by", actor.orElse(reason.equals("merchant") ? "merchant:" + merchant.value() : "capsule"))
                    .param("now", utc(now)).param("id", id.value()).update();
            jdbc.sql("UPDATE payments_webhook_delivery SET status = 'canceled', next_attempt_at = NULL, finished_at = :now "
                            + "WHERE endpoint_id = :id AND status = 'pending'")
                    .param("now", utc(now)).param("id", id.value()).update();
            publish(PaymentEvent.What.WEBHOOK_ENDPOINT_DISABLE, merchant, id, reason, actor);
        }
        return find(merchant, id).orElseThrow();
    }

    /** The keys valid at {@code now}, newest first: what a delivery signs with. */
    List<WebhookSigningKey> validKeys(WebhookEndpointId id, Instant now) {
        return jdbc.sql("SELECT version, secret_sealed, signing_key_sealed FROM payments_webhook_key "
                        + "WHERE endpoint_id = :id AND (expires_at IS NULL OR expires_at > :now) ORDER BY version DESC")
                .param("id", id.value()).param("now", utc(now))
                .query((row, n) -> {
                    int version = row.getInt(1);
                    return new WebhookSigningKey(
                            encryption.open(DataPurpose.MERCHANT_SECRETS, row.getBytes(2), place(id, version, "secret")),
                            encryption.open(DataPurpose.MERCHANT_SECRETS, row.getBytes(3), place(id, version, "signing-key")));
                })
                .list();
    }

    /** Where a key version's secret or signing key is sealed (the associated data). */
    static FieldPlace place(WebhookEndpointId id, int version, String field) {
        return new FieldPlace("platform", "payments_webhook_key", id.value() + "." + version, field);
    }

    private WebhookEndpoint lock(MerchantId merchant, WebhookEndpointId id) {
        Optional<String> locked = jdbc.sql("SELECT endpoint_id FROM payments_webhook_endpoint WHERE endpoint_id = :id AND merchant_id = :m FOR UPDATE")
                .param("id", id.value()).param("m", merchant.value()).query(String.class).optional();
        if (locked.isEmpty()) {
            throw new ProblemException(WebhookProblems.ENDPOINT_NOT_FOUND, "this merchant has no webhook endpoint " + id.value());
        }
        return find(merchant, id).orElseThrow();
    }

    private void insertKey(WebhookEndpointId id, int version, WebhookSigningKey key, Instant now) {
        jdbc.sql("INSERT INTO payments_webhook_key (endpoint_id, version, secret_sealed, signing_key_sealed, public_key, created_at) "
                        + "VALUES (:id, :v, :secret, :signing, :pub, :now)")
                .param("id", id.value()).param("v", version)
                .param("secret", encryption.seal(DataPurpose.MERCHANT_SECRETS, key.hmacSecret(), place(id, version, "secret")))
                .param("signing", encryption.seal(DataPurpose.MERCHANT_SECRETS, key.ed25519Private(), place(id, version, "signing-key")))
                .param("pub", key.publicKey()).param("now", utc(now)).update();
    }

    private void publish(PaymentEvent.What kind, MerchantId merchant, WebhookEndpointId id, String detail, Optional<String> actor) {
        events.publishEvent(new PaymentEvent(kind, "success", Optional.of(merchant), Optional.empty(), Optional.empty(),
                Optional.of(id.value()), Optional.of(detail), actor));
    }

    private WebhookEndpoint endpoint(ResultSet row, int n) throws SQLException {
        WebhookEndpointId id = new WebhookEndpointId(row.getString("endpoint_id"));
        Array events = row.getArray("events");
        List<String> publicKeys = jdbc.sql("SELECT public_key FROM payments_webhook_key WHERE endpoint_id = :id "
                        + "AND (expires_at IS NULL OR expires_at > :now) ORDER BY version DESC")
                .param("id", id.value()).param("now", utc(clock.instant()))
                .query((r, i) -> WebhookSigningKey.PUBLIC_KEY_PREFIX + java.util.Base64.getEncoder().encodeToString(r.getBytes(1))).list();
        return new WebhookEndpoint(id, new MerchantId(row.getString("merchant_id")), row.getString("url"),
                Arrays.asList((String[]) events.getArray()), row.getBoolean("enabled"),
                Optional.ofNullable(row.getString("disabled_reason")), publicKeys,
                row.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    /**
     * The URL if the runtime's SSRF guard would send to it: https, a host name that {@link HostName} accepts (no IP
     * literal, no local or special-use name), no user info or fragment, at most {@link WebhookLimits#URL_CHARS_MAX}.
     */
    static String checkedUrl(String url) {
        if (url == null || url.isEmpty() || url.length() > WebhookLimits.URL_CHARS_MAX) {
            throw refused("url must be 1 to " + WebhookLimits.URL_CHARS_MAX + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw refused("url is not a valid URI");
        }
        if (!"https".equals(uri.getScheme())) {
            throw refused("url must be https");
        }
        if (uri.getRawFragment() != null) {
            throw refused("url must not have a fragment");
        }
        HostName host = allowlistEntry(uri);
        String refusal = AllowedUrl.refusal(url, List.of(host));
        if (refusal != null) {
            throw refused(refusal);
        }
        return url;
    }

    /** The one allowlist entry a webhook URL is sent under: its own host and port. */
    static HostName allowlistEntry(URI uri) {
        String authority = uri.getRawAuthority();
        if (authority == null || authority.isEmpty()) {
            throw refused("url must name a host");
        }
        try {
            return HostName.parse(authority);
        } catch (IllegalArgumentException e) {
            throw refused("url host: " + e.getMessage());
        }
    }

    private static ProblemException refused(String why) {
        return new ProblemException(WebhookProblems.URL_REFUSED, dev.capsule.core.text.SafeText.escape(why));
    }

    private static List<String> checkedEvents(List<String> types) {
        if (types == null || types.isEmpty() || types.size() > WebhookLimits.EVENTS_PER_ENDPOINT_MAX) {
            throw new ProblemException(WebhookProblems.EVENT_UNKNOWN,
                    "events must list 1 to " + WebhookLimits.EVENTS_PER_ENDPOINT_MAX + " event types");
        }
        for (String type : types) {
            if (type == null || !WebhookEvents.TYPES.contains(type)) {
                throw new ProblemException(WebhookProblems.EVENT_UNKNOWN, "unknown event type " + Objects.toString(
                        type == null ? null : dev.capsule.core.text.SafeText.escape(type.length() > 64 ? type.substring(0, 64) : type))
                        + "; the types are " + WebhookEvents.TYPES.stream().sorted().toList());
            }
        }
        return types.stream().distinct().sorted().toList();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

}
