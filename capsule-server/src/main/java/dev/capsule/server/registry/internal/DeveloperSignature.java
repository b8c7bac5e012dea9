package dev.capsule.server.registry.internal;

import dev.capsule.core.pkg.AppIdPattern;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageSignature;
import dev.capsule.core.pkg.PackageVerifier;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.TrustedKey;
import dev.capsule.core.pkg.Verification;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.RegistryProblems;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The one check that a package is developer-signed for the registry, at upload and again at approval: core's
 * {@link PackageVerifier} with the owning organisation's unrevoked keys, each bound to the developer role and
 * to that organisation's mini-program ids, requiring a developer signature.
 *
 * <p>Security guarantees: passes only when every signature in the package is a developer signature by an
 * unrevoked key of the organisation that owns the app id, and at least one exists; a signature by any other
 * key (another organisation's, a revoked one, a "platform" signature the developer added) refuses the package,
 * so the platform never countersigns or serves a package carrying signatures it did not check.
 */
@Component
class DeveloperSignature {
    /** Reason code of a package that carries a signature by a key the organisation did not register (or revoked). */
    static final String FOREIGN_SIGNATURE = "foreign-signature";

    private final OrganisationStore organisations;

    DeveloperSignature(OrganisationStore organisations) {
        this.organisations = organisations;
    }

    /** The developer signature that verified (the first, if several); a problem naming the rule otherwise. */
    PackageSignature require(CapsulePackage pkg, OrganisationId owner, MiniProgramId app) {
        List<AppIdPattern> ids = organisations.miniPrograms(owner).stream().map(id -> AppIdPattern.parse(id.value())).toList();
        List<TrustedKey> keys = organisations.keys(owner).stream().filter(k -> !k.revoked())
                .map(k -> TrustedKey.forRole(k.key(), Role.DEVELOPER, ids)).toList();
        if (keys.isEmpty() || ids.isEmpty()) {
            throw refused("untrusted", "organisation " + owner + " has no unrevoked package-signing key; nothing was stored");
        }
        Verification verification = PackageVerifier.verify(pkg, TrustPolicy.of(keys).requiring(Role.DEVELOPER));
        return switch (verification) {
            case Verification.Rejected rejected -> throw refused(rejected.reason().code(), rejected.message());
            case Verification.Verified verified -> {
                if (!verified.untrusted().isEmpty()) {
                    PackageSignature foreign = verified.untrusted().getFirst();
                    throw refused(FOREIGN_SIGNATURE, "the package carries a " + foreign.role().id() + " signature by key "
                            + foreign.keyId().shortForm() + ", which is not an unrevoked key of organisation " + owner
                            + " (remove it: only the developer signs an upload)");
                }
                yield verified.trusted().getFirst();
            }
        };
    }

    private static ProblemException refused(String reason, String message) {
        return new ProblemException(RegistryProblems.PACKAGE_NOT_DEVELOPER_SIGNED,
                dev.capsule.core.text.SafeText.escape(message, 500), Map.of("reason", reason));
    }
}
