package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.auth.totp.TotpVerifier;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.identity.SecretSealing;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * TOTP for operators (RFC 6238 with {@link TotpParameters#OPERATOR}: SHA-1, 6 digits, 30 s, one step
 * either side) and the sealing of operator secrets at rest.
 *
 * <p>Security guarantees: a secret is sealed bound to its operator's id, so a sealed value copied to
 * another operator's row does not open; checking a code for nobody (a null secret) does the same work
 * against a throwaway secret and always fails.
 */
@Component
class TotpCodes {
    private final TotpVerifier verifier;
    private final SecretSealing sealing;
    private final TotpSecret dummy = TotpSecret.generate();

    TotpCodes(IdentityClock clock, SecretSealing sealing) {
        this.verifier = new TotpVerifier(TotpParameters.OPERATOR, clock.clock());
        this.sealing = sealing;
    }

    /** Checks {@code code}; with a null secret, does the same work and rejects. */
    TotpOutcome verify(TotpSecret secret, String code, OptionalLong lastAcceptedStep) {
        TotpOutcome outcome = verifier.verify(secret == null ? dummy : secret, code, lastAcceptedStep);
        return secret == null ? new TotpOutcome.Rejected(TotpOutcome.Reason.NO_MATCH) : outcome;
    }

    TotpSecret enrolledSecret(Operator operator) {
        return open(operator.totpSecretSealed(), operator.id());
    }

    TotpSecret pendingSecret(Operator operator) {
        return open(operator.totpPendingSealed(), operator.id());
    }

    byte[] seal(TotpSecret secret, UUID operatorId) {
        return sealing.seal(secret.bytes(SecretAccess.grant()), context(operatorId));
    }

    private TotpSecret open(byte[] sealed, UUID operatorId) {
        if (sealed == null) {
            throw new IllegalStateException("operator " + operatorId + " has no such TOTP secret");
        }
        return TotpSecret.fromBytes(sealing.open(sealed, context(operatorId)));
    }

    private static String context(UUID operatorId) {
        return "capsule.operator-totp.v1:" + operatorId;
    }
}
