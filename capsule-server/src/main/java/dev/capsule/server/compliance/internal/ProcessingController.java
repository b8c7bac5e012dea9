package dev.capsule.server.compliance.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.compliance.ProcessingRecord;
import dev.capsule.server.compliance.ProcessingRecords;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The records of processing as JSON ({@code GET /api/v1/compliance/processing}, {@code audit.read}: the auditors' and
 * security officers' permission, which an API key may hold, so a DPO's tooling can fetch it; docs/compliance.md).
 *
 * <p>Security guarantees: read-only; {@code after} is parsed into an app id before any query; the answer is
 * re-serialized from parsed values (manifest text is a JSON string, never markup).
 */
@RestController
@Tag(name = "Compliance")
class ProcessingController {
    static final String PATH = "/api/v1/compliance/processing";

    private final ProcessingRecords records;

    ProcessingController(ProcessingRecords records) {
        this.records = records;
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "The records of processing activities (GDPR art. 30), generated now; at most "
            + ProcessingRecords.PROGRAMS_PER_RECORD_MAX + " released mini-programs, the next page with after = miniPrograms.next")
    ProcessingRecord processing(@RequestParam(name = "after", required = false) String after) {
        return records.generate(after(after));
    }

    /** The {@code after} parameter as an app id; a value that is not one is refused rather than ignored. */
    static Optional<MiniProgramId> after(String after) {
        if (after == null || after.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(MiniProgramId.parse(after).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "after must be a mini-program id, like com.example.todo")));
    }
}
