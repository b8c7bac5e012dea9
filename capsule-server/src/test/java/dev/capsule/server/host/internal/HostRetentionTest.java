package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The host's purges on the real schema: shell sessions and grants a day (the sessions policy's default) past their
 * expiry, and expired payer step-up and passkey registration challenges go; live ones (and sign-ins inside their extra
 * day) stay.
 */
@CapsuleServerTest
class HostRetentionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;

    private static byte[] bytes32() {
        byte[] out = new byte[32];
        RANDOM.nextBytes(out);
        return out;
    }

    private static String payerRef() {
        return HexFormat.of().formatHex(bytes32()).substring(0, 32);
    }

    private boolean exists(String table, String column, Object value) {
        return jdbc.sql("SELECT count(*) FROM " + table + " WHERE " + column + " = :v").param("v", value).query(Long.class).single() == 1;
    }

    @Test
    void shellSessionsGoADayAfterTheyExpiredAndLiveOnesStay() {
        byte[] expired = bytes32();
        byte[] justExpired = bytes32();
        byte[] live = bytes32();
        String sql = "INSERT INTO host_shell_sessions VALUES (:h, 'retention-user', NULL, false, :csrf, now() - interval '2 days', "
                + "now() + make_interval(mins => :m))";
        jdbc.sql(sql).param("h", expired).param("csrf", ShellSignIn.newToken()).param("m", -25 * 60).update();
        jdbc.sql(sql).param("h", justExpired).param("csrf", ShellSignIn.newToken()).param("m", -1).update();
        jdbc.sql(sql).param("h", live).param("csrf", ShellSignIn.newToken()).param("m", 30).update();

        purges.run("host.shell-sessions");

        assertThat(exists("host_shell_sessions", "token_hash", expired)).isFalse();
        assertThat(exists("host_shell_sessions", "token_hash", justExpired)).as("kept a day, as grants").isTrue();
        assertThat(exists("host_shell_sessions", "token_hash", live)).isTrue();
    }

    @Test
    void grantsGoADayAfterTheyExpired() {
        byte[] longExpired = bytes32();
        byte[] justExpired = bytes32();
        String sql = "INSERT INTO host_grants VALUES (:h, 'retention-user', NULL, 'test', now() - interval '3 days', "
                + "now() - make_interval(hours => :h_ago), NULL)";
        jdbc.sql(sql).param("h", longExpired).param("h_ago", 25).update();
        jdbc.sql(sql).param("h", justExpired).param("h_ago", 23).update();

        purges.run("host.shell-grants");

        assertThat(exists("host_grants", "token_hash", longExpired)).isFalse();
        assertThat(exists("host_grants", "token_hash", justExpired)).as("kept a day for a complaint").isTrue();
    }

    @Test
    void expiredStepUpAndPasskeyRegistrationChallengesGoAndLiveOnesStay() {
        String gone = payerRef();
        String stays = payerRef();
        String step = "INSERT INTO host_payer_step_ups VALUES (:p, 'pi_aaaaaaaaaaaaaaaaaaaaaaaaaa', NULL, now() + make_interval(secs => :s))";
        jdbc.sql(step).param("p", gone).param("s", -1).update();
        jdbc.sql(step).param("p", stays).param("s", 300).update();
        String registration = "INSERT INTO host_passkey_registrations VALUES (:p, :c, 'https://localhost', now() + make_interval(secs => :s))";
        jdbc.sql(registration).param("p", gone).param("c", bytes32()).param("s", -1).update();
        jdbc.sql(registration).param("p", stays).param("c", bytes32()).param("s", 300).update();

        purges.run("host.payer-step-ups");
        purges.run("host.passkey-registrations");

        assertThat(exists("host_payer_step_ups", "payer_ref", gone)).isFalse();
        assertThat(exists("host_payer_step_ups", "payer_ref", stays)).isTrue();
        assertThat(exists("host_passkey_registrations", "payer_ref", gone)).isFalse();
        assertThat(exists("host_passkey_registrations", "payer_ref", stays)).isTrue();
    }
}
