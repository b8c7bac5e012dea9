package dev.capsule.server.access;

import static dev.capsule.server.access.AccessHttp.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The per-address limit over HTTPS, with a small bucket so it is reached quickly (its own context: the
 * shared one keeps the defaults), and the bucket statement's atomicity under concurrent requests.
 */
@CapsuleServerTest
@TestPropertySource(properties = {
        "capsule.rate-limit.address-burst-requests=" + RateLimitTest.BURST,
        "capsule.rate-limit.address-refill-per-minute=1"})
class RateLimitTest {
    static final int BURST = 6;

    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;

    @Test
    void addressLimitAppliesToAnonymousCallsAndAnswers429WithRetryAfter() throws Exception {
        jdbc.sql("DELETE FROM rate_bucket").update();
        for (int i = 0; i < BURST; i++) {
            assertProblem(https.get("/api/v1/access/me"), 401, "unauthenticated");
        }
        HttpResponse<String> limited = https.get("/api/v1/access/me");
        assertProblem(limited, 429, AccessProblems.RATE_LIMITED);
        long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(50L, 60L);
        assertThat(TestHttps.json(limited).get("limit").asString()).isEqualTo("client-address");
        assertThat(TestHttps.json(limited).get("instance").asString()).isEqualTo("/api/v1/access/me");

        // Everything from the address is limited now, signed-in operators and bad keys included ...
        assertProblem(https.get("/api/v1/access/me", AccessHttp.operator("ann", Role.AUDITOR)), 429, AccessProblems.RATE_LIMITED);
        assertProblem(https.get("/api/v1/access/me", AccessHttp.bearer("capk_0123456789abcdef_" + "A".repeat(43))), 429,
                AccessProblems.RATE_LIMITED);
        assertProblem(https.get("/api/openapi.json"), 429, AccessProblems.RATE_LIMITED);
        // ... but not health, which load balancers probe.
        for (int i = 0; i < BURST * 2; i++) {
            assertThat(https.get("/api/v1/health").statusCode()).isEqualTo(200);
        }
        // A refused request does not consume: after one token accrues, exactly one request passes.
        jdbc.sql("UPDATE rate_bucket SET updated_at = updated_at - interval '61 seconds' WHERE bucket = 'ip:127.0.0.1'").update();
        assertProblem(https.get("/api/v1/access/me"), 401, "unauthenticated");
        assertProblem(https.get("/api/v1/access/me"), 429, AccessProblems.RATE_LIMITED);
        jdbc.sql("DELETE FROM rate_bucket").update();
    }

    @Test
    void concurrentRequestsNeverTakeMoreTokensThanTheBucketHolds() throws Exception {
        jdbc.sql("DELETE FROM rate_bucket").update();
        int requests = BURST * 4;
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            calls.add(() -> https.get("/api/v1/access/me").statusCode());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(calls)) {
                statuses.add(status.get());
            }
            assertThat(statuses.stream().filter(s -> s == 401).count()).isEqualTo(BURST);
            assertThat(statuses.stream().filter(s -> s == 429).count()).isEqualTo(requests - BURST);
        } finally {
            pool.shutdownNow();
            jdbc.sql("DELETE FROM rate_bucket").update();
        }
    }
}
