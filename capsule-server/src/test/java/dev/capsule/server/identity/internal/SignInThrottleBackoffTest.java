package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The throttle's backoff curve. */
class SignInThrottleBackoffTest {

    @Test
    void backoffDoublesFromOneSecondToTheCap() {
        assertThat(SignInThrottle.blockFor(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(SignInThrottle.blockFor(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(SignInThrottle.blockFor(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(SignInThrottle.blockFor(10)).isEqualTo(Duration.ofSeconds(SignInThrottle.BLOCK_SECONDS_MAX));
        assertThat(SignInThrottle.blockFor(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(SignInThrottle.BLOCK_SECONDS_MAX));
    }
}
