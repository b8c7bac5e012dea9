package dev.capsule.server.registry;

import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.access.OperatorId;
import java.util.Objects;

/**
 * A reviewer approved one package version: the registry's event record, published synchronously through
 * Spring's {@code ApplicationEventPublisher} inside the approval's database transaction. The releases
 * module listens in that transaction (countersign + log append); a listener that throws rolls the approval
 * back, so a version is never approved without its release, nor released without its approval. The
 * package bytes and digests are read through {@link ApprovedPackages}.
 *
 * <p>Security guarantees: published only after every approval rule held (permission with step-up,
 * separation of duties, no unexcepted critical finding, developer signature re-checked); {@code approver}
 * is never null.
 *
 * @param id       the approved version
 * @param app      its mini-program
 * @param version  its semantic version (capsule.json {@code version})
 * @param approver the operator who approved it
 * @param preset   the risk profile the reviewer chose (the policy preset the runtime enforces)
 */
public record PackageApproved(PackageVersionId id, MiniProgramId app, String version, OperatorId approver, RiskProfile preset) {
    public PackageApproved {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(approver, "approver");
        Objects.requireNonNull(preset, "preset");
    }
}
