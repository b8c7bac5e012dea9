package dev.capsule.core.release;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.dsse.DsseEnvelope;
import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.SemanticVersion;
import dev.capsule.core.log.NoteKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The platform's signed revocation list (the kill switch), served at {@code GET /api/v1/releases/revocations} as a
 * DSSE envelope of payload type {@value #PAYLOAD_TYPE}, signed with a {@code revocation-list} key. Payload (format
 * {@value #FORMAT}): {@code {"format","origin","sequence","issued","expires","minimumRuntime" (semver or null),
 * "revoked":[{"appId","version","reason","time"}]}}, times RFC 3339 UTC with whole seconds. The server re-issues it
 * (sequence + 1) at every change and at least every {@link #REISSUE_EVERY}, valid for {@link #VALIDITY}.
 *
 * @param origin the release log's origin: binds the list to one platform installation
 * @param minimumRuntime the platform-wide minimum runtime version, if one is set
 */
public record RevocationList(String origin, long sequence, Instant issued, Instant expires, Optional<SemanticVersion> minimumRuntime,
        List<Revoked> revoked) {
    public static final String FORMAT = "capsule-revocations/1";
    public static final String PAYLOAD_TYPE = "application/vnd.capsule.revocations+json";
    /** How long a list is valid after it is issued ({@code expires = issued + VALIDITY}). */
    public static final Duration VALIDITY = Duration.ofHours(24);
    /** The server re-issues the list at least this often, so a fresh one is always available. */
    public static final Duration REISSUE_EVERY = Duration.ofHours(1);
    /** A list may be valid for at most this long; a longer one would let a captured list be replayed for longer. */
    public static final Duration VALIDITY_MAX = Duration.ofDays(7);
    public static final int REVOKED_MAX = 10_000;
    /** 10,000 revocations of about 700 bytes each at most, in base64, plus the envelope. */
    public static final int ENVELOPE_BYTES_MAX = 10 << 20;
    /** How far ahead of the local clock an issue time may lie (clock skew). */
    public static final Duration CLOCK_SKEW_MAX = Duration.ofMinutes(5);
    private static final Set<String> FIELDS = Set.of("format", "origin", "sequence", "issued", "expires", "minimumRuntime", "revoked");
    private static final Set<String> REVOKED_FIELDS = Set.of("appId", "version", "reason", "time");

    /** One revoked version. */
    public record Revoked(String appId, String version, String reason, Instant time) {
        public Revoked {
            Fields.appId(appId);
            Fields.version(version, "version");
            Fields.reason(reason);
            Fields.time(time, "time");
        }
    }

    public RevocationList {
        if (!NoteKey.isValidName(origin)) {
            throw new IllegalArgumentException("origin must be a valid log origin");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be >= 1");
        }
        Fields.time(issued, "issued");
        Fields.time(expires, "expires");
        if (!expires.isAfter(issued) || Duration.between(issued, expires).compareTo(VALIDITY_MAX) > 0) {
            throw new IllegalArgumentException("expires must be after issued, by at most " + VALIDITY_MAX.toDays() + " days");
        }
        Objects.requireNonNull(minimumRuntime, "minimumRuntime");
        revoked = List.copyOf(revoked);
        if (revoked.size() > REVOKED_MAX) {
            throw new IllegalArgumentException("more than " + REVOKED_MAX + " revoked versions");
        }
        Set<String> seen = new HashSet<>();
        for (Revoked r : revoked) {
            if (!seen.add(r.appId() + " " + r.version())) {
                throw new IllegalArgumentException(r.appId() + " " + r.version() + " is listed twice");
            }
        }
    }

    /** The revocation of {@code version} of {@code appId}, if this list holds one. */
    public Optional<Revoked> revocation(String appId, String version) {
        return revoked.stream().filter(r -> r.appId().equals(appId) && r.version().equals(version)).findFirst();
    }

    /** Whether a runtime of {@code runtimeVersion} is below this list's minimum runtime version. */
    public boolean requiresNewerThan(SemanticVersion runtimeVersion) {
        return minimumRuntime.isPresent() && runtimeVersion.isLowerThan(minimumRuntime.get());
    }

    /** The payload's JSON bytes (what the envelope signs). */
    public byte[] payload() {
        ObjectNode root = StrictJson.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("origin", origin);
        root.put("sequence", sequence);
        root.put("issued", Fields.timeText(issued));
        root.put("expires", Fields.timeText(expires));
        if (minimumRuntime.isPresent()) {
            root.put("minimumRuntime", minimumRuntime.get().text());
        } else {
            root.putNull("minimumRuntime");
        }
        ArrayNode items = root.putArray("revoked");
        for (Revoked r : revoked) {
            items.addObject().put("appId", r.appId()).put("version", r.version()).put("reason", r.reason()).put("time", Fields.timeText(r.time()));
        }
        return StrictJson.mapper().writeValueAsBytes(root);
    }

    /**
     * This list as a DSSE envelope signed by {@code signer}, which must produce Ed25519 signatures by {@code publicKey}
     * (the platform's {@code revocation-list} key; the server passes its keys module's signing function).
     *
     * @throws IllegalStateException if the signature does not verify with {@code publicKey} (a miswired signer)
     */
    public DsseEnvelope sign(VerifyingKey publicKey, Function<byte[], byte[]> signer) {
        byte[] payload = payload();
        byte[] signature = signer.apply(DsseEnvelope.pae(PAYLOAD_TYPE, payload));
        if (!publicKey.verify(DsseEnvelope.pae(PAYLOAD_TYPE, payload), signature)) {
            throw new IllegalStateException("the signer's signature does not verify with " + publicKey);
        }
        return new DsseEnvelope(PAYLOAD_TYPE, payload, List.of(new DsseEnvelope.Signature(publicKey.keyId().hex(), signature)));
    }

    /** Parses a payload strictly; nothing about it is verified. */
    public static RevocationList parsePayload(byte[] payload) throws ReleaseFormatException {
        try {
            JsonObject root = StrictJson.parseObject(payload, "revocation list", ENVELOPE_BYTES_MAX);
            root.rejectUnknownFields(FIELDS);
            if (!FORMAT.equals(root.requireString("format"))) {
                throw root.at("format", "expected '" + FORMAT + "'");
            }
            if (!root.has("minimumRuntime")) {
                throw root.error("missing required field 'minimumRuntime' (null when none)");
            }
            Optional<SemanticVersion> minimum = root.isNull("minimumRuntime") ? Optional.empty()
                    : Optional.of(SemanticVersion.parse(root.requireString("minimumRuntime")));
            List<JsonNode> items = root.requireArray("revoked", REVOKED_MAX);
            List<Revoked> revoked = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                JsonObject item = JsonObject.element(items.get(i), root, "revoked", i);
                item.rejectUnknownFields(REVOKED_FIELDS);
                revoked.add(new Revoked(item.requireString("appId"), item.requireString("version"), item.requireString("reason"),
                        Fields.parseTime(item.requireString("time"), "time")));
            }
            return new RevocationList(root.requireString("origin"), root.requireLong("sequence", 1, Long.MAX_VALUE),
                    Fields.parseTime(root.requireString("issued"), "issued"), Fields.parseTime(root.requireString("expires"), "expires"),
                    minimum, revoked);
        } catch (JsonFormatException e) {
            throw new ReleaseFormatException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ReleaseFormatException("revocation list: " + e.getMessage());
        }
    }

    /**
     * Verifies a revocation list as served, in this order: envelope form and payload type; a valid signature by a
     * {@code revocation-list} key of {@code trust}; the payload; its origin is the trust file's; its sequence is not
     * lower than {@code sequenceSeen}; it has not expired; it was issued at most {@code ageMax} ago (and not more
     * than {@link #CLOCK_SKEW_MAX} ahead); {@code runtimeVersion} is not below its minimum runtime version.
     *
     * <p>Security guarantees: {@link RevocationOutcome.Verified} only for a list signed by a key the trust file binds
     * to {@code revocation-list} (a checkpoint or countersignature key is refused), over these exact payload bytes,
     * that is neither older (by sequence) than one already seen, nor expired, nor older than {@code ageMax}. The
     * payload is parsed only after the signature verified.
     */
    public static RevocationOutcome verify(byte[] envelopeJson, PlatformTrust trust, long sequenceSeen, Instant now, Duration ageMax,
            SemanticVersion runtimeVersion) {
        DsseEnvelope envelope;
        try {
            envelope = DsseEnvelope.parse(envelopeJson, "revocation list envelope", ENVELOPE_BYTES_MAX);
        } catch (JsonFormatException e) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.MALFORMED, e.getMessage());
        }
        if (!PAYLOAD_TYPE.equals(envelope.payloadType())) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.MALFORMED, "payload type is not " + PAYLOAD_TYPE);
        }
        byte[] pae = envelope.pae();
        boolean signed = envelope.signatures().stream().anyMatch(signature -> trust.keys(PlatformTrust.Purpose.REVOCATION_LIST).stream()
                .anyMatch(key -> key.verify(pae, signature.sig())));
        if (!signed) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.SIGNATURE, "not signed by a revocation-list key of the platform trust file");
        }
        RevocationList list;
        try {
            list = parsePayload(envelope.payload());
        } catch (ReleaseFormatException e) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.MALFORMED, e.getMessage());
        }
        if (!list.origin().equals(trust.origin())) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.ORIGIN, "the list is for origin " + list.origin()
                    + ", not the trusted " + trust.origin());
        }
        if (list.sequence() < sequenceSeen) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.SEQUENCE_ROLLBACK, "sequence " + list.sequence()
                    + " is lower than " + sequenceSeen + ", already seen: an old list is being replayed");
        }
        if (!now.isBefore(list.expires())) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.EXPIRED, "the list expired at " + list.expires());
        }
        if (list.issued().isAfter(now.plus(CLOCK_SKEW_MAX))) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.TOO_OLD, "the list claims to be issued at " + list.issued()
                    + ", in the future: check the clock");
        }
        if (Duration.between(list.issued(), now).compareTo(ageMax) > 0) {
            return RevocationOutcome.reject(RevocationOutcome.Reason.TOO_OLD, "the list was issued at " + list.issued()
                    + ", more than " + ageMax + " ago: the platform's kill switch cannot be reached (freeze)");
        }
        if (list.requiresNewerThan(runtimeVersion)) {
            return new RevocationOutcome.Rejected(RevocationOutcome.Reason.RUNTIME_BELOW_MINIMUM, "this runtime is version "
                    + runtimeVersion + "; the platform requires at least " + list.minimumRuntime().get());
        }
        return new RevocationOutcome.Verified(list);
    }
}
