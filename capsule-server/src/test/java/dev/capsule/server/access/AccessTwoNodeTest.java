package dev.capsule.server.access;

import static dev.capsule.server.access.AccessHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TwoNodes;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.PropertySource;

/** Two server nodes on one database: rate limits and revocations hold across them. */
class AccessTwoNodeTest {

    /** Test authentication, and the per-address bucket of two-node-limits.properties (40 requests, 1 a minute). */
    @Configuration(proxyBeanMethods = false)
    @PropertySource("classpath:access/two-node-limits.properties")
    @Import(TestAuthentication.class)
    static class TestNodeSetup {
    }

    @Test
    void rateLimitsAndRevocationsHoldAcrossNodes() {
        try (TwoNodes nodes = TwoNodes.start(TestNodeSetup.class)) {
            AccessHttp a = new AccessHttp(nodes.first().https(), nodes.first().context());
            AccessHttp b = new AccessHttp(nodes.second().https(), nodes.second().context());

            // A key made on A, approved on B, limited to 3 requests: its bucket is one for both nodes.
            AccessHttp.Key limited = a.pendingKey("two-node limited", List.of("metrics.read"),
                    ", \"burstRequests\": 3, \"refillPerMinute\": 1");
            // The approver signed in on A; the session (in the database) works on B.
            assertThat(b.post("/api/v1/api-keys/" + limited.keyId() + "/approve", "", a.approver().headers()).statusCode())
                    .isEqualTo(200);
            assertThat(a.get("/api/v1/access/me", limited.bearer()).statusCode()).isEqualTo(200);
            assertThat(b.get("/api/v1/access/me", limited.bearer()).statusCode()).isEqualTo(200);
            assertThat(a.get("/api/v1/access/me", limited.bearer()).statusCode()).isEqualTo(200);
            HttpResponse<String> onB = b.get("/api/v1/access/me", limited.bearer());
            assertProblem(onB, 429, AccessProblems.RATE_LIMITED);
            assertThat(TestHttps.json(onB).get("limit").asString()).isEqualTo("api-key");
            assertProblem(a.get("/api/v1/access/me", limited.bearer()), 429, AccessProblems.RATE_LIMITED);

            // A key revoked on A is refused on B at its next request.
            AccessHttp.Key revoked = a.activeKey("two-node revoked", List.of("metrics.read"), "");
            assertThat(b.get("/api/v1/access/me", revoked.bearer()).statusCode()).isEqualTo(200);
            assertThat(a.post("/api/v1/api-keys/" + revoked.keyId() + "/revoke", "", a.approver().headers()).statusCode())
                    .isEqualTo(200);
            assertProblem(b.get("/api/v1/access/me", revoked.bearer()), 401, ProblemType.UNAUTHENTICATED);

            // The address's bucket, emptied through A, is empty on B.
            int passed = 0;
            HttpResponse<String> response;
            while ((response = a.get("/api/v1/access/me")).statusCode() == 401) {
                passed++;
                assertThat(passed).as("the address bucket holds 40 requests").isLessThanOrEqualTo(40);
            }
            assertProblem(response, 429, AccessProblems.RATE_LIMITED);
            HttpResponse<String> limitedOnB = b.get("/api/v1/access/me");
            assertProblem(limitedOnB, 429, AccessProblems.RATE_LIMITED);
            assertThat(TestHttps.json(limitedOnB).get("limit").asString()).isEqualTo("client-address");
            assertThat(limitedOnB.headers().firstValue("Retry-After")).isPresent();
            // Valid keys pay their own bucket, not the address's: host apps behind a busy address still work.
            AccessHttp.Key fresh = freshKey(nodes);
            assertThat(b.get("/api/v1/access/me", AccessHttp.bearer(fresh.token())).statusCode()).isEqualTo(200);
        }
    }

    /** A new active key, made through the API while this address's bucket is briefly refilled. */
    private static AccessHttp.Key freshKey(TwoNodes nodes) {
        // The address bucket is empty, so operators cannot call the API from here; clear only this address's
        // bucket state for the set-up calls, then empty it again.
        nodes.first().jdbc().sql("DELETE FROM rate_bucket WHERE bucket = 'ip:127.0.0.1'").update();
        AccessHttp a = new AccessHttp(nodes.first().https(), nodes.first().context());
        AccessHttp.Key key = a.activeKey("two-node fresh", List.of("metrics.read"), "");
        nodes.first().jdbc().sql("UPDATE rate_bucket SET tokens = 0 WHERE bucket = 'ip:127.0.0.1'").update();
        assertProblem(a.get("/api/v1/access/me"), 429, AccessProblems.RATE_LIMITED);
        return key;
    }
}
