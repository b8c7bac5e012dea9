package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Role;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
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
        TestOperators.Enrolled operator = TestOperators.create(context.getBean(OperatorStore.class),
                context.getBean(Passwords.class), context.getBean(TotpCodes.class), context.getBean(IdentityClock.class).clock(),
                prefix, roles);
        OperatorClient client = new OperatorClient(https);
        HttpResponse<String> first = client.post("/api/v1/auth/sign-in",
                OperatorClient.json("username", operator.username(), "password", TestOperators.PASSWORD));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        HttpResponse<String> second = client.post("/api/v1/auth/second-factor/totp", OperatorClient.json("code", operator.code()));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(TestHttps.json(second).get("next").asString()).isEqualTo("done");
        return new Session(operator.id(), operator.username(), client.sessionCookie().orElseThrow(), client.csrfToken().orElseThrow());
    }
}
