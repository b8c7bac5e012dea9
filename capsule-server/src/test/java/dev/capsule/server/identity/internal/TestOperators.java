package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.recovery.GeneratedRecoveryCodes;
import dev.capsule.core.auth.recovery.RecoveryCodes;
import dev.capsule.core.auth.totp.TotpGenerator;
import dev.capsule.core.auth.totp.TotpParameters;
import dev.capsule.core.auth.totp.TotpSecret;
import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.server.access.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.ApplicationContext;

/** Fully onboarded operators made directly in the store (fast), with a known password, secret and codes. */
final class TestOperators {
    static final String PASSWORD = "a long and unusual test passphrase";
    private static final AtomicInteger NAMES = new AtomicInteger();

    record Enrolled(UUID id, String username, TotpSecret secret, List<String> recoveryCodes, Clock clock) {
        /** The code for the current step of the server's clock. */
        String code() {
            return TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant());
        }

        /** The code for the step after the current one (still inside the ±1 window). */
        String nextCode() {
            return TotpGenerator.codeAt(secret, TotpParameters.OPERATOR, clock.instant().plusSeconds(30));
        }
    }

    private TestOperators() {
    }

    /** {@link #create(OperatorStore, Passwords, TotpCodes, Clock, String, Role...)} with the server's own beans and clock. */
    static Enrolled create(ApplicationContext context, String prefix, Role... roles) {
        return create(context.getBean(OperatorStore.class), context.getBean(Passwords.class), context.getBean(TotpCodes.class),
                context.getBean(IdentityClock.class).clock(), prefix, roles);
    }

    static Enrolled create(OperatorStore store, Passwords passwords, TotpCodes totp, Clock clock, String prefix, Role... roles) {
        String username = prefix + "-" + NAMES.incrementAndGet();
        UUID id = UUID.randomUUID();
        store.insert(id, username, passwords.hash(PASSWORD), Set.of(roles), Instant.now());
        store.changePassword(id, passwords.hash(PASSWORD), Instant.now());
        TotpSecret secret = TotpSecret.generate();
        byte[] sealed = totp.seal(secret, id);
        store.setPendingTotp(id, sealed);
        GeneratedRecoveryCodes codes = RecoveryCodes.generate();
        store.confirmTotp(id, sealed, 0, codes.hashes());
        return new Enrolled(id, username, secret, codes.codes(SecretAccess.grant()), clock);
    }
}
