package dev.capsule.server.identity.internal;

import static dev.capsule.server.identity.internal.OperatorClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TwoNodes;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Two server nodes started at the same moment on one empty database: one admin, its one-time password
 * printed once; sessions and throttling hold across the nodes.
 */
@ExtendWith(OutputCaptureExtension.class)
class IdentityTwoNodeTest {
    private static final Pattern ONE_TIME = Pattern.compile("one-time password \\(shown only now\\): ([a-z0-9-]+)");

    @Test
    void twoNodesStartingTogetherShareOneAdminSessionsAndThrottling(CapturedOutput output) throws Exception {
        String database = SharedPostgres.newDatabase();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String masterKey = Base64.getEncoder().encodeToString(key);
        ExecutorService starter = Executors.newFixedThreadPool(2);
        Future<TwoNodes.Node> a = starter.submit(() -> TwoNodes.Node.start(database, masterKey));
        Future<TwoNodes.Node> b = starter.submit(() -> TwoNodes.Node.start(database, masterKey));
        try (TwoNodes.Node first = a.get(); TwoNodes.Node second = b.get()) {
            starter.shutdown();
            // Bootstrap: exactly one admin, created by exactly one node, its password printed exactly once.
            assertThat(first.jdbc().sql("SELECT username FROM operators").query(String.class).list()).containsExactly("admin");
            boolean createdByFirst = first.context().getBean(AdminBootstrap.class).createdHere();
            boolean createdBySecond = second.context().getBean(AdminBootstrap.class).createdHere();
            assertThat(createdByFirst ^ createdBySecond).as("exactly one node created the admin").isTrue();
            Matcher printed = ONE_TIME.matcher(output.getAll());
            assertThat(printed.find()).as("the one-time password is printed").isTrue();
            String password = printed.group(1);
            assertThat(printed.find()).as("printed once").isFalse();

            // The printed password works, on either node.
            OperatorClient admin = new OperatorClient(second.https());
            assertThat(TestHttpsJson.next(admin.post("/api/v1/auth/sign-in", json("username", "admin", "password", password))))
                    .isEqualTo("change-password");

            // A session made on the first node works on the second, and signing out there ends it.
            var operator = TestOperators.create(first.context().getBean(OperatorStore.class), first.context().getBean(Passwords.class),
                    first.context().getBean(TotpCodes.class), Clock.systemUTC(), "two-node", Role.AUDITOR);
            OperatorClient onFirst = new OperatorClient(first.https());
            onFirst.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD));
            assertThat(onFirst.post("/api/v1/auth/second-factor/totp", json("code", operator.code())).statusCode()).isEqualTo(200);
            OperatorClient onSecond = onFirst.sharing(second.https());
            assertThat(onSecond.get("/api/v1/auth/session").statusCode()).isEqualTo(200);
            assertThat(onSecond.post("/api/v1/auth/sign-out", null).statusCode()).isEqualTo(204);
            assertThat(onFirst.get("/api/v1/auth/session").statusCode()).isEqualTo(401);

            // Failures on both nodes count together.
            List<TwoNodes.Node> nodes = List.of(first, second);
            for (int i = 0; i < SignInThrottle.ACCOUNT_FAILURES_FREE; i++) {
                OperatorClient client = new OperatorClient(nodes.get(i % 2).https());
                assertThat(client.post("/api/v1/auth/sign-in", json("username", operator.username(), "password", "wrong " + i))
                        .statusCode()).isEqualTo(200);
            }
            for (TwoNodes.Node node : nodes) {
                assertThat(new OperatorClient(node.https())
                        .post("/api/v1/auth/sign-in", json("username", operator.username(), "password", TestOperators.PASSWORD))
                        .statusCode()).isEqualTo(429);
            }
        } finally {
            starter.shutdownNow();
        }
    }

    /** Reads the {@code next} field of a step answer. */
    static final class TestHttpsJson {
        static String next(java.net.http.HttpResponse<String> response) {
            return dev.capsule.testing.server.TestHttps.json(response).get("next").asString();
        }
    }
}
