package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.access.StepUp;
import dev.capsule.testing.server.MutableClock;
import dev.capsule.testing.server.TestHttps;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * Step-up in the console ({@code /console/step-up}), for console pages whose action needs a recent second
 * factor (the review console's approve and reject): a fresh code makes step-up recent again and returns to
 * the console page named in {@code next}; a wrong code does not; {@code next} never leaves the console.
 */
@IdentityServerTest
class ConsoleStepUpTest {
    @Autowired TestHttps https;
    @Autowired ApplicationContext context;
    @Autowired MutableClock clock;

    @Test
    void aFreshCodeMakesStepUpRecentAndReturnsToTheConsolePage() {
        TestOperators.Enrolled operator = TestOperators.create(context, "console-step-up", Role.REVIEWER);
        OperatorClient client = OperatorClient.signedIn(https, operator);
        clock.advance(Duration.ofMinutes(StepUp.STEP_UP_MINUTES_MAX).plusSeconds(31));
        assertThat(stepUpIsRecent(client)).as("stale after five minutes").isFalse();

        HttpResponse<String> wrong = form(client, "000000", "/console/packages/0d3c5b9e-2f8e-4a51-9c5a-1f2e3d4c5b6a");
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("id=\"error\"");
        assertThat(stepUpIsRecent(client)).isFalse();

        HttpResponse<String> accepted = form(client, operator.code(), "/console/packages/0d3c5b9e-2f8e-4a51-9c5a-1f2e3d4c5b6a");
        assertThat(accepted.statusCode()).isEqualTo(302);
        assertThat(accepted.headers().firstValue("Location")).hasValueSatisfying(location ->
                assertThat(location).endsWith("/console/packages/0d3c5b9e-2f8e-4a51-9c5a-1f2e3d4c5b6a"));
        assertThat(stepUpIsRecent(client)).isTrue();
    }

    @Test
    void nextNeverLeavesTheConsole() {
        TestOperators.Enrolled operator = TestOperators.create(context, "console-step-up-next", Role.REVIEWER);
        OperatorClient client = OperatorClient.signedIn(https, operator);
        clock.advance(Duration.ofSeconds(31));
        HttpResponse<String> response = form(client, operator.code(), "https://evil.example/console/");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/console/"));
        assertThat(ConsolePaths.returnTo("//evil.example/console")).isEqualTo(ConsolePaths.HOME);
        assertThat(ConsolePaths.returnTo("/console/../api/v1/operators")).isEqualTo(ConsolePaths.HOME);
        assertThat(ConsolePaths.returnTo("/console/packages/abc")).isEqualTo("/console/packages/abc");
    }

    private HttpResponse<String> form(OperatorClient client, String code, String next) {
        String body = "code=" + code + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
        return client.send(https.request("/console/step-up").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)), true);
    }

    private boolean stepUpIsRecent(OperatorClient client) {
        var until = TestHttps.json(client.get("/api/v1/auth/session")).get("stepUpUntil");
        return until != null && !until.isNull() && Instant.parse(until.asString()).isAfter(clock.instant());
    }
}
