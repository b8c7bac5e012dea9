package dev.capsule.core.pkg;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Decides whether a host may load a package.
 *
 * <p>Security guarantees: {@link Verification.Verified} is returned only if (1) the archive passes
 * every structural check of {@link PackageReader}, so every file is covered by the digest manifest
 * and matches its digest; (2) at least one signature made with a trusted key verifies over the DSSE
 * pre-authentication encoding of a statement naming this exact digest manifest, package id and
 * version; (3) every signature claiming a trusted key verifies and claims a role that key is trusted
 * for (anything else rejects the package: it is evidence of tampering or misuse); and (4) when the
 * policy requires a role, a verified signature in that role by a key bound to that role exists; and
 * (5) every trusted signature is by a key the host bound to this package's app id
 * ({@link TrustedKey#mayClaim}), so a trusted developer cannot claim another developer's app id and
 * with it that app's storage and per-app state.
 * Signatures by unknown keys are reported, never relied on.
 * Not guaranteed: that a trusted signer was not compromised, or that the code is benign.
 */
public final class PackageVerifier {
    private PackageVerifier() {}

    public static Verification verify(byte[] archive, TrustPolicy policy) {
        CapsulePackage pkg;
        try {
            pkg = PackageReader.read(archive, policy.limits());
        } catch (PackageException e) {
            return new Verification.Rejected(e.reason(), e.getMessage());
        }
        return verify(pkg, policy);
    }

    /** Checks the signatures of an already read package against {@code policy}. */
    public static Verification verify(CapsulePackage pkg, TrustPolicy policy) {
        if (pkg.signatures().isEmpty()) {
            return new Verification.Rejected(Reason.UNSIGNED, "the package is not signed");
        }
        List<PackageSignature> trusted = new ArrayList<>();
        List<PackageSignature> untrusted = new ArrayList<>();
        for (PackageSignature signature : pkg.signatures()) {
            TrustedKey key = policy.trustedKeys().get(signature.keyId());
            if (key == null) {
                untrusted.add(signature);
            } else if (!key.key().verify(signature.envelope().pae(), signature.signatureBytes())) {
                return new Verification.Rejected(Reason.BAD_SIGNATURE, "the " + signature.role().id() + " signature by trusted key "
                        + signature.keyId().shortForm() + " does not verify: the package or signature was altered");
            } else if (!key.trustedFor(signature.role())) {
                return new Verification.Rejected(Reason.ROLE_NOT_TRUSTED, "key " + signature.keyId().shortForm() + " is trusted as "
                        + key.role().map(Role::id).orElse("any") + " but signed as " + signature.role().id());
            } else if (!appIdBound(key, pkg.manifest().id())) {
                return new Verification.Rejected(Reason.APP_ID_NOT_ALLOWED, "key " + signature.keyId().shortForm() + " ("
                        + signature.role().id() + ") may not sign app id " + pkg.manifest().id() + ": it is bound to "
                        + key.appIds().stream().map(AppIdPattern::text).collect(Collectors.joining(",")));
            } else {
                trusted.add(signature);
            }
        }
        if (trusted.isEmpty()) {
            return new Verification.Rejected(Reason.UNTRUSTED, "not signed by a trusted key (signed by "
                    + untrusted.stream().map(s -> s.role().id() + " " + s.keyId().shortForm()).collect(Collectors.joining(", ")) + ")");
        }
        if (policy.requiredRole().isPresent()) {
            Role role = policy.requiredRole().get();
            if (trusted.stream().noneMatch(s -> s.role() == role && policy.trustedKeys().get(s.keyId()).boundTo(role))) {
                return new Verification.Rejected(Reason.ROLE_MISSING, "no " + role.id() + " signature by a key trusted for that role");
            }
        }
        return new Verification.Verified(pkg, trusted, untrusted);
    }

    /**
     * The one place that decides whether a key may claim an app id. Today the host's own binding
     * ({@code --trust developer=KEY.pub:com.example.*}) is the only source. The platform
     * countersignature of a later issue will vouch for a (developer key, app id) binding inside its
     * signed statement; that evidence is to be accepted here, and only here, so every entry point
     * (CLI verify/run/inspect, the runtime's launch, the server) gains it at once.
     */
    private static boolean appIdBound(TrustedKey key, String appId) {
        return key.mayClaim(appId);
    }
}
