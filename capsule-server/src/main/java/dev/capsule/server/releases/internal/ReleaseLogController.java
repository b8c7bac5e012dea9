package dev.capsule.server.releases.internal;

import dev.capsule.core.release.PlatformTrust;
import dev.capsule.core.release.ReleaseBundle;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public release endpoints (no authentication, {@link ReleasesSecurity#PUBLIC_PATHS}): the release log
 * (checkpoint, entries, proofs), the bundle a runtime downloads, the signed revocation list and the platform trust
 * file. Everything here is meant to be checked without trusting the server (docs/releases.md); base64 is standard
 * with padding; every range and proof is bounded.
 */
@RestController
@Tag(name = "Releases (public)", description = "The release transparency log, distribution, revocations and the platform trust file (docs/releases.md)")
class ReleaseLogController {
    /** Entries per request. */
    static final int ENTRIES_PER_PAGE_MAX = 1000;

    private final ReleaseLog releaseLog;
    private final Distribution distribution;
    private final RevocationLists revocations;
    private final PlatformTrustFile trustFile;

    ReleaseLogController(ReleaseLog releaseLog, Distribution distribution, RevocationLists revocations, PlatformTrustFile trustFile) {
        this.releaseLog = releaseLog;
        this.distribution = distribution;
        this.revocations = revocations;
        this.trustFile = trustFile;
    }

    /** One entry, as the audit API shows them: bytes, stored leaf hash, stored inner hashes it completes. */
    record EntryView(long index, String entry, String leafHash, List<String> innerHashes) {
    }

    record Entries(List<EntryView> entries) {
    }

    record InclusionProof(long index, long size, String leafHash, List<String> proof) {
    }

    record ConsistencyProof(long from, long to, List<String> proof) {
    }

    @GetMapping(path = "/api/v1/releases/log/checkpoint", produces = "text/plain;charset=utf-8")
    @Operation(summary = "The latest signed checkpoint of the release log (a C2SP signed note with a time line); 404 release-log-empty before the first release")
    ResponseEntity<String> checkpoint() {
        String note = releaseLog.freshCheckpoint()
                .orElseThrow(() -> new ProblemException(ReleaseProblems.LOG_EMPTY, "nothing has been released yet"))
                .note();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(note);
    }

    @GetMapping(path = "/api/v1/releases/log/entries", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Entries [start, end) of the release log with their stored hashes; 0 <= start < end <= log size, at most "
            + ENTRIES_PER_PAGE_MAX + " per request")
    Entries entries(@RequestParam("start") long start, @RequestParam("end") long end) {
        if (start < 0 || end <= start) {
            throw new ProblemException(ProblemType.VALIDATION, "need 0 <= start < end");
        }
        if (end - start > ENTRIES_PER_PAGE_MAX) {
            throw new ProblemException(ProblemType.VALIDATION, "at most " + ENTRIES_PER_PAGE_MAX + " entries per request");
        }
        requireWithinLog(end, "end");
        Base64.Encoder base64 = Base64.getEncoder();
        return new Entries(releaseLog.tree().entries(start, end).stream()
                .map(e -> new EntryView(e.index(), base64.encodeToString(e.entry()), e.leafHash() == null ? null : base64.encodeToString(e.leafHash()),
                        e.innerHashes().stream().map(base64::encodeToString).toList()))
                .toList());
    }

    @GetMapping(path = "/api/v1/releases/log/proofs/inclusion", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "RFC 9162 inclusion proof of the entry at index in the tree of size entries (0 <= index < size <= log size)")
    InclusionProof inclusion(@RequestParam("index") long index, @RequestParam("size") long size) {
        if (index < 0 || size <= index) {
            throw new ProblemException(ProblemType.VALIDATION, "need 0 <= index < size");
        }
        requireWithinLog(size, "size");
        byte[] leafHash = releaseLog.tree().entries(index, index + 1).getFirst().leafHash();
        return new InclusionProof(index, size, Base64.getEncoder().encodeToString(leafHash), encoded(releaseLog.tree().inclusionProof(index, size)));
    }

    @GetMapping(path = "/api/v1/releases/log/proofs/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "RFC 9162 consistency proof between the trees of from and to entries (1 <= from <= to <= log size)")
    ConsistencyProof consistency(@RequestParam("from") long from, @RequestParam("to") long to) {
        if (from < 1 || to < from) {
            throw new ProblemException(ProblemType.VALIDATION, "need 1 <= from <= to");
        }
        requireWithinLog(to, "to");
        return new ConsistencyProof(from, to, encoded(releaseLog.tree().consistencyProof(from, to)));
    }

    @GetMapping(path = "/api/v1/releases/{appId}/bundle", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The release bundle (capsule-release-bundle/1) of the version this user is served: package, proofs, signed checkpoint")
    ResponseEntity<byte[]> bundle(@PathVariable("appId") String appId, @RequestParam("user") String user,
            @RequestParam("since") Optional<Long> since) {
        ReleaseBundle bundle = distribution.bundle(appId, user, since);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore()).body(bundle.toJson());
    }

    @GetMapping(path = "/api/v1/releases/revocations", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "The signed revocation list: a DSSE envelope of capsule-revocations/1, re-issued at every change and at least hourly")
    ResponseEntity<byte[]> revocationList() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(CacheControl.noStore())
                .body(revocations.current().envelope().getBytes(StandardCharsets.UTF_8));
    }

    @GetMapping(path = "/api/v1/releases/platform-trust", produces = "text/plain;charset=utf-8")
    @Operation(summary = "The platform trust file (capsule-platform-trust/1): the release log's origin and the platform's keys by purpose")
    ResponseEntity<String> platformTrust() {
        PlatformTrust trust = trustFile.current();
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(trust.format());
    }

    private void requireWithinLog(long size, String name) {
        long logSize = releaseLog.tree().size();
        if (size > logSize) {
            throw new ProblemException(ReleaseProblems.BEYOND_LOG, name + " " + size + " is beyond the release log's " + logSize + " entries",
                    Map.of("logSize", logSize));
        }
    }

    private static List<String> encoded(List<byte[]> hashes) {
        Base64.Encoder base64 = Base64.getEncoder();
        return hashes.stream().map(base64::encodeToString).toList();
    }
}
