package dev.capsule.server.audit;

import dev.capsule.server.tlog.LogHead;

/**
 * Where the audit log stands: its size and latest signed checkpoint (read-only; for the compliance module's evidence).
 *
 * <p>Security guarantees: reads what is stored, signs nothing and changes nothing; the checkpoint is the one
 * {@code GET /api/v1/audit/checkpoint} serves, so an auditor can verify it with {@code capsule audit verify}.
 */
public interface AuditLogHead {
    LogHead auditLogHead();
}
