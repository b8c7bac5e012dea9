package dev.capsule.server.releases.internal;

import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.core.release.PlatformTrust;
import dev.capsule.server.keys.PlatformPublicKey;
import dev.capsule.server.keys.PlatformSigner;
import dev.capsule.server.keys.SigningPurpose;
import dev.capsule.server.platform.LogOrigins;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The platform trust file ({@code capsule-platform-trust/1}) as this installation would have an operator pin it:
 * the release log's origin and, for each of the three release purposes, the platform's public keys (primary first,
 * then retired ones, at most {@link PlatformTrust#KEYS_PER_PURPOSE_MAX}), so a runtime pinned before a rotation still
 * verifies what the old key signed.
 *
 * <p>Security guarantees: each key is listed only under the purpose its key set has (the keys module keeps one key
 * set per purpose); the file is built from the keys module's inventory, never from a request.
 */
@Component
class PlatformTrustFile {
    private static final Map<PlatformTrust.Purpose, SigningPurpose> PURPOSES = Map.of(
            PlatformTrust.Purpose.PACKAGE_COUNTERSIGNATURE, SigningPurpose.PACKAGE_COUNTERSIGNATURE,
            PlatformTrust.Purpose.RELEASE_CHECKPOINT, SigningPurpose.RELEASE_CHECKPOINT,
            PlatformTrust.Purpose.REVOCATION_LIST, SigningPurpose.REVOCATION_LIST);

    private final PlatformSigner signer;
    private final LogOrigins origins;

    PlatformTrustFile(PlatformSigner signer, LogOrigins origins) {
        this.signer = signer;
        this.origins = origins;
    }

    PlatformTrust current() {
        Map<PlatformTrust.Purpose, List<VerifyingKey>> keys = new EnumMap<>(PlatformTrust.Purpose.class);
        for (PlatformTrust.Purpose purpose : PlatformTrust.Purpose.values()) {
            keys.put(purpose, signer.publicKeys(PURPOSES.get(purpose)).stream().limit(PlatformTrust.KEYS_PER_PURPOSE_MAX)
                    .map(PlatformPublicKey::key).toList());
        }
        return new PlatformTrust(origins.releases().name(), keys);
    }
}
