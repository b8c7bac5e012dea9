package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.totp.TotpOutcome;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.auth.totp.TotpVerifier;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.FieldPlace;
import java.util.OptionalLong;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * TOTP for operators (RFC 6238 with {@link TotpParameters#OPERATOR}: SHA-1, 6 digits, 30 s, one step
 * either side) and the sealing of operator secrets at rest.
 *
 * <p>Security guarantees: a secret is sealed with the keys module's {@code operator-secrets} keys
 * ({@link FieldEncryption}: AES-256-GCM) bound to its place, the operator's row, so a sealed value
 * copied to another operator's row does not open; the pending and the enrolled secret share one
 * place because enrolment moves the pending value into the enrolled column as it is; checking a code for nobody (a null secret) does the same work
 * against a throwaway secret and always fails.
 */
@Component
class TotpCodes {
    private final TotpVerifier verifier;
    private final FieldEncryption fields;
    private final TotpSecret dummy = TotpSecret.generate();

    TotpCodes(IdentityClock clock, FieldEncryption fields) {
        this.verifier = new TotpVerifier(TotpParameters.OPERATOR, clock.clock());
        this.fields = fields;
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
        return fields.seal(DataPurpose.OPERATOR_SECRETS, secret.bytes(SecretAccess.grant()), place(operatorId));
    }

    private TotpSecret open(byte[] sealed, UUID operatorId) {
        if (sealed == null) {
            throw new IllegalStateException("operator " + operatorId + " has no such TOTP secret");
        }
        return TotpSecret.fromBytes(fields.open(DataPurpose.OPERATOR_SECRETS, sealed, place(operatorId)));
    }

    /** Where an operator's TOTP secret lives (both columns: enrolment moves the pending value as it is). */
    static FieldPlace place(UUID operatorId) {
        return new FieldPlace("platform", "operators", operatorId.toString(), "totp-secret");
    }
}
