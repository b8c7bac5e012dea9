package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Role;
import dev.capsule.testing.server.TestHttps;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Test fixture for every module's tests: real operators (fully onboarded, made directly in the store)
 * signed in over HTTPS with their password and a TOTP code, exactly as a person would, so their
 * sessions pass the onboarding gate, carry role authorities and satisfy step-up for five minutes.
 */
public final class SignedInOperators {
    private final ApplicationContext context;
    private final TestHttps https;

    public SignedInOperators(ApplicationContext context, TestHttps https) {
        this.context = context;
        this.https = https;
    }

    /** A signed-in operator's session: the cookie and CSRF token a browser would send. */
    public record Session(UUID operatorId, String username, String cookie, String csrfToken) {
        /** The access module's actor id of this operator. */
        public String actorId() {
            return Caller.Operator.actorIdOf(operatorId.toString());
        }

        /** Request headers for this session: the session cookie and the CSRF token. */
        public String[] headers() {
            return new String[] {"Cookie", IdentitySecurity.SESSION_COOKIE + "=" + cookie, IdentitySecurity.CSRF_HEADER, csrfToken};
        }
    }

    /** A new operator named {@code prefix-N} holding {@code roles}, signed in with password and TOTP just now. */
    public Session signIn(String prefix, Role... roles) {
        TestOperators.Enrolled operator = TestOperators.create(context, prefix, roles);
        OperatorClient client = OperatorClient.signedIn(https, operator);
        return new Session(operator.id(), operator.username(), client.sessionCookie().orElseThrow(), client.csrfToken().orElseThrow());
    }
}
