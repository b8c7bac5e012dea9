package dev.capsule.server.privacy;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.json.CanonicalJson;
import dev.capsule.server.platform.RegionId;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The certificate of one person's erasure: which holders erased what (tables and row counts), what they kept and
 * why, and which data-subject keys were destroyed, when. Its canonical form ({@link #canonical()}, RFC 8785, format
 * {@code capsule-erasure-certificate/1}) is stored with the request; its SHA-256 and its key list are in the audit
 * log's {@code privacy.erasure} entry, so the stored certificate can be checked against the log.
 *
 * @param request     the erasure request
 * @param subjectTag  the person as a pseudonym
 * @param region      the region whose database held the person's data (and holds this certificate)
 * @param erasedAt    when the last key was destroyed
 * @param holders     each holder's account, in holder-name order
 * @param subjectKeys the destroyed data-subject keys
 */
public record ErasureCertificate(PrivacyRequestId request, String subjectTag, RegionId region, Instant erasedAt, List<Erasure> holders,
        List<UUID> subjectKeys) {
    public static final String FORMAT = "capsule-erasure-certificate/1";

    public ErasureCertificate {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(subjectTag, "subjectTag");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(erasedAt, "erasedAt");
        holders = List.copyOf(holders);
        subjectKeys = List.copyOf(subjectKeys);
    }

    /** The canonical JSON text (tables, counts and keys as objects keyed by name: canonical JSON here has objects, not arrays). */
    public String canonical() {
        Map<String, Object> byHolder = new java.util.TreeMap<>();
        for (Erasure erasure : holders) {
            Map<String, Object> deleted = new java.util.TreeMap<>();
            erasure.deleted().forEach(d -> deleted.merge(d.table(), d.rows(), (a, b) -> (Long) a + (Long) b));
            Map<String, Object> retained = new java.util.TreeMap<>();
            erasure.retained().forEach(r -> retained.put(r.table(), r.rows() + " rows: " + r.basis()));
            byHolder.put(erasure.holder(), Map.of("deleted", deleted, "retained", retained));
        }
        // Canonical JSON has no arrays: the keys are an object's names (each true), sorted.
        Map<String, Object> keys = new java.util.TreeMap<>();
        subjectKeys.forEach(key -> keys.put(key.toString(), true));
        return CanonicalJson.text(Map.of("format", FORMAT, "request", request.toString(), "subject", subjectTag,
                "region", region.value(), "erasedAt", erasedAt.toString(), "holders", byHolder,
                "subjectKeys", keys));
    }

    /** SHA-256 of {@link #canonical()} in UTF-8, lower-case hex. */
    public String sha256() {
        return Sha256.of(canonical().getBytes(java.nio.charset.StandardCharsets.UTF_8)).hex();
    }
}
