package dev.capsule.server.compliance.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The live evidence behind the MASVS report ({@code GET /api/v1/compliance/evidence}, {@code audit.read}, as the records
 * of processing; {@code capsule report masvs --url} fetches it; docs/compliance.md "MASVS report").
 *
 * <p>Security guarantees: read-only; ids, settings, counts, times and signed checkpoints only — no key material, no
 * personal data; every fact is read when asked, from the module that owns it.
 */
@RestController
@Tag(name = "Compliance")
class EvidenceController {
    static final String PATH = "/api/v1/compliance/evidence";
    /** Tomcat's request attribute for the negotiated TLS protocol (SSLSupport.PROTOCOL_VERSION_KEY). */
    static final String TLS_PROTOCOL_ATTRIBUTE = "org.apache.tomcat.util.net.secure_protocol_version";
    static final String CIPHER_SUITE_ATTRIBUTE = "jakarta.servlet.request.cipher_suite";

    private final EvidenceService evidence;

    EvidenceController(EvidenceService evidence) {
        this.evidence = evidence;
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.AUDIT_READ)
    @Operation(summary = "Live configuration facts for auditors: TLS of this request, database durability, session isolation,"
            + " key ages and rotations, the audit and release logs' sizes and latest signed checkpoints, retention purges")
    ComplianceEvidence evidence(HttpServletRequest request) {
        return evidence.gather(new ComplianceEvidence.Tls(request.isSecure(), attribute(request, TLS_PROTOCOL_ATTRIBUTE),
                attribute(request, CIPHER_SUITE_ATTRIBUTE)));
    }

    private static String attribute(HttpServletRequest request, String name) {
        Object value = request.getAttribute(name);
        return value instanceof String text ? text : null;
    }
}
