package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.ProblemException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An endpoint URL is accepted only if the runtime's SSRF guard would send to it. */
class WebhookUrlTest {
    @ParameterizedTest
    @ValueSource(strings = {
            "http://hooks.example.com/x",              // not https
            "https://127.0.0.1/x",                     // IP literals, any notation
            "https://[::1]/x",
            "https://169.254.169.254/latest/meta-data",
            "https://2130706433/x",
            "https://localhost/x",                     // local and special-use names
            "https://hooks.internal/x",
            "https://printer.local/x",
            "https://user:pw@hooks.example.com/x",     // user info
            "https://hooks.example.com/x#frag",        // fragment
            "https://hooks.example.com:0/x",           // bad port
            "hooks.example.com/x",                     // not absolute
            ""})
    void urlsTheGuardWouldNotSendToAreRefused(String url) {
        assertThatThrownBy(() -> WebhookEndpoints.checkedUrl(url)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(WebhookProblems.URL_REFUSED));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hooks.example.com/webhooks", "https://hooks.example.com:8443/a?b=c", "https://api.shop.example/capsule"})
    void httpsUrlsToPublicNamesAreAccepted(String url) {
        assertThat(WebhookEndpoints.checkedUrl(url)).isEqualTo(url);
    }

    @org.junit.jupiter.api.Test
    void aUrlLongerThanTheLimitIsRefused() {
        String url = "https://hooks.example.com/" + "a".repeat(WebhookLimits.URL_CHARS_MAX);
        assertThatThrownBy(() -> WebhookEndpoints.checkedUrl(url)).isInstanceOf(ProblemException.class);
    }
}
