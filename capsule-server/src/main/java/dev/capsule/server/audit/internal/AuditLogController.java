package dev.capsule.server.audit.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/audit}: the audit log for auditors (permission {@code audit.read}): signed checkpoints,
 * entries, inclusion and consistency proofs. Everything here can be checked without trusting the server
 * ({@code capsule audit verify}); base64 is standard with padding.
 */
@RestController
@Tag(name = "Audit log", description = "The tamper-evident log of security events: checkpoints, entries, proofs (docs/audit.md)")
class AuditLogController {
    static final int CHECKPOINTS_PER_PAGE_DEFAULT = 100;
    static final int CHECKPOINTS_PER_PAGE_MAX = 1000;

    private final AuditLogReader reader;
    private final CheckpointPublisher checkpoints;
    private final LogStore store;
    private final AuditVerification verification;

    AuditLogController(AuditLogReader reader, CheckpointPublisher checkpoints, LogStore store, AuditVerification verification) {
        this.reader = reader;
        this.checkpoints = checkpoints;
        this.store = store;
        this.verification = verification;
    }

    record CheckpointView(long size, String note) {
    }

    record Checkpoints(List<CheckpointView> checkpoints) {
    }

    /**
     * One entry.
     *
     * @param innerHashes the stored hashes of the subtrees of level 1 and up that this entry completes, lowest
     *                    first (empty for an even index): what proofs through them are built from, so a verifier
     *                    can check every stored hash against its own recomputation
     */
    record EntryView(long index, String entry, String leafHash, List<String> innerHashes) {
    }

    record Entries(List<EntryView> entries) {
    }

    record InclusionProof(long index, long size, String leafHash, List<String> proof) {
    }

    record ConsistencyProof(long from, long to, List<String> proof) {
    }

    @GetMapping(path = "/api/v1/audit/checkpoint", produces = "text/plain;charset=utf-8")
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "The latest signed checkpoint (a C2SP signed note), as text; 404 audit-log-empty before the first")
    String latestCheckpoint() {
        return store.latestCheckpoint()
                .orElseThrow(() -> new ProblemException(AuditProblems.LOG_EMPTY, "no checkpoint has been published yet"))
                .note();
    }

    @GetMapping(path = "/api/v1/audit/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "Checkpoints with size >= fromSize, ascending; limit 1 to " + CHECKPOINTS_PER_PAGE_MAX
            + " (default " + CHECKPOINTS_PER_PAGE_DEFAULT + ")")
    Checkpoints checkpoints(@RequestParam("fromSize") Optional<Long> fromSize, @RequestParam("limit") Optional<Integer> limit) {
        int size = limit.orElse(CHECKPOINTS_PER_PAGE_DEFAULT);
        if (size < 1 || size > CHECKPOINTS_PER_PAGE_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "limit must be 1 to " + CHECKPOINTS_PER_PAGE_MAX);
        }
        long from = fromSize.orElse(0L);
        if (from < 0) {
            throw new ProblemException(ProblemType.VALIDATION, "fromSize must be >= 0");
        }
        return new Checkpoints(store.checkpoints(from, size).stream().map(c -> new CheckpointView(c.size(), c.note())).toList());
    }

    @PostMapping(path = "/api/v1/audit/checkpoints", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "Sequence pending events and publish a checkpoint of the whole log now (the latest, if the log has not grown)")
    ResponseEntity<CheckpointView> publish() {
        LogStore.StoredCheckpoint published = checkpoints.publishNow();
        return ResponseEntity.created(URI.create("/api/v1/audit/checkpoints?fromSize=" + published.size() + "&limit=1"))
                .body(new CheckpointView(published.size(), published.note()));
    }

    @PostMapping(path = "/api/v1/audit/verifications", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "Verify the stored log up to its latest checkpoint on the server (signatures by the platform's audit-checkpoint keys, "
            + "leaf and inner hashes, every checkpoint's root, stored proofs); 200 with valid true or false and the first problem; "
            + "at most " + AuditVerification.ENTRIES_MAX + " entries, one run per node at a time (409 audit-verification-running)")
    AuditVerification.Result verify() {
        return verification.run();
    }

    @GetMapping(path = "/api/v1/audit/entries", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "Entries [start, end) with their stored leaf hashes and the inner hashes each completes; 0 <= start < end <= log size, at most "
            + AuditLogReader.ENTRIES_PER_PAGE_MAX + " per request")
    Entries entries(@RequestParam("start") long start, @RequestParam("end") long end) {
        Base64.Encoder base64 = Base64.getEncoder();
        return new Entries(reader.entries(start, end).stream()
                .map(e -> new EntryView(e.index(), base64.encodeToString(e.entry()), e.leafHash() == null ? null : base64.encodeToString(e.leafHash()),
                        e.innerHashes().stream().map(base64::encodeToString).toList()))
                .toList());
    }

    @GetMapping(path = "/api/v1/audit/proofs/inclusion", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "RFC 9162 inclusion proof of the entry at index (or with leafHash, base64 or base64url) in the tree of size entries")
    InclusionProof inclusion(@RequestParam("index") Optional<Long> index, @RequestParam("leafHash") Optional<String> leafHash,
            @RequestParam("size") long size) {
        if (index.isPresent() == leafHash.isPresent()) {
            throw new ProblemException(ProblemType.VALIDATION, "give exactly one of index and leafHash");
        }
        AuditLogReader.Inclusion proof = index.isPresent() ? reader.inclusion(index.get(), size)
                : reader.inclusion(hash(leafHash.get(), "leafHash"), size);
        return new InclusionProof(proof.index(), proof.size(), Base64.getEncoder().encodeToString(proof.leafHash()), encoded(proof.proof()));
    }

    @GetMapping(path = "/api/v1/audit/proofs/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "RFC 9162 consistency proof between the trees of from and to entries (1 <= from <= to <= log size)")
    ConsistencyProof consistency(@RequestParam("from") long from, @RequestParam("to") long to) {
        return new ConsistencyProof(from, to, encoded(reader.consistency(from, to)));
    }

    private static List<String> encoded(List<byte[]> hashes) {
        Base64.Encoder base64 = Base64.getEncoder();
        return hashes.stream().map(base64::encodeToString).toList();
    }

    /** A SHA-256 hash in standard or URL-safe base64 (padding optional). */
    static byte[] hash(String text, String name) {
        byte[] decoded;
        String cleaned = text.replace(' ', '+'); // an unencoded '+' in a query string arrives as a space
        try {
            decoded = (cleaned.indexOf('-') >= 0 || cleaned.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(cleaned);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, name + " is not base64");
        }
        if (decoded.length != 32) {
            throw new ProblemException(ProblemType.VALIDATION, name + " must be a 32-byte SHA-256 hash, not " + decoded.length + " bytes");
        }
        return decoded;
    }
}
