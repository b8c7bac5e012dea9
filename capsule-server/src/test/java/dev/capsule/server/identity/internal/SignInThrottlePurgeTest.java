package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Throttle counts the throttle itself has forgotten (last failure over 24 hours ago, no block) are deleted; counts it
 * still uses stay, so the purge changes no sign-in decision.
 */
@CapsuleServerTest
class SignInThrottlePurgeTest {
    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;

    @Test
    void forgottenCountsGoAndCountsStillInUseStay() {
        String p = "ip:retention-" + UUID.randomUUID() + "-";
        jdbc.sql("""
                        INSERT INTO sign_in_throttle VALUES
                            (:p || 'forgotten', 30, now() - make_interval(hours => :forget + 1), now() - make_interval(hours => :forget)),
                            (:p || 'recent', 30, now() - make_interval(hours => :forget - 1), NULL),
                            (:p || 'blocked', 30, now() - make_interval(hours => :forget + 1), now() + interval '1 minute')""")
                .param("p", p).param("forget", (int) SignInThrottle.FORGET_AFTER_HOURS).update();

        purges.run("identity.sign-in-throttle");

        assertThat(jdbc.sql("SELECT substr(throttle_key, char_length(:p) + 1) FROM sign_in_throttle WHERE left(throttle_key, char_length(:p)) = :p")
                .param("p", p).query(String.class).list()).containsExactlyInAnyOrder("recent", "blocked");
    }
}
