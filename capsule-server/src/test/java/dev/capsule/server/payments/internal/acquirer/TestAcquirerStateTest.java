package dev.capsule.server.payments.internal.acquirer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.internal.vault.OpenedCard;
import dev.capsule.testing.server.CapsuleServerTest;
import java.time.YearMonth;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The emulated bank keeps its records in PostgreSQL (V101), not in a node's memory: a second {@link TestAcquirer} — what
 * another node, or this node after a restart, has — captures, releases, completes challenges and refunds what the first
 * authorized, and answers repeated calls as the first did. On the old in-memory acquirer each of these was refused as an
 * unknown reference. Nothing stored is a card number.
 */
@CapsuleServerTest
class TestAcquirerStateTest {
    @Autowired Acquirer acquirer;
    @Autowired JdbcClient jdbc;
    @Autowired PlatformTransactionManager transactionManager;

    private static final YearMonth EXPIRY = YearMonth.now().plusYears(2);

    private TestAcquirer otherNode() {
        return new TestAcquirer(jdbc, transactionManager);
    }

    private static OpenedCard card(String number) {
        return new OpenedCard(CardNumber.parse(number), EXPIRY, "Ada Lovelace");
    }

    @Test
    void anAuthorizationIsCapturedOnAnotherNodeOnceAndRefundedThere() {
        String reference = "pi_state" + UUID.randomUUID() + ":1";
        Acquirer.Result authorized = acquirer.authorize(reference, card(TestAcquirer.APPROVE), 1_000, "CNY", false);
        assertThat(authorized).isInstanceOf(Acquirer.Result.Approved.class);

        TestAcquirer other = otherNode();
        assertThat(other.authorize(reference, card(TestAcquirer.APPROVE), 1_000, "CNY", false))
                .as("a repeat with the reference answers the first result, on any node").isEqualTo(authorized);
        assertThat(other.capture(reference, 1_001)).isEqualTo(new Acquirer.Result.Declined("capture-refused"));
        assertThat(other.capture(reference, 600)).isEqualTo(authorized);
        assertThat(acquirer.capture(reference, 600)).as("the same capture again is answered as before").isEqualTo(authorized);
        assertThat(acquirer.release(reference)).as("a captured authorization cannot be released")
                .isEqualTo(new Acquirer.Result.Declined("release-refused"));
        assertThat(other.refund(reference, reference + ":re1", 601)).isEqualTo(new Acquirer.Result.Declined("refund-refused"));
        Acquirer.Result refunded = other.refund(reference, reference + ":re2", 600);
        assertThat(refunded).isInstanceOf(Acquirer.Result.Approved.class);
        assertThat(acquirer.refund(reference, reference + ":re2", 600)).isEqualTo(refunded);
        assertThat(other.approvedCount(reference)).isEqualTo(1);

        assertThat(jdbc.sql("SELECT count(*) FROM payments_test_acquirer_authorization WHERE card_last4 = '4242' AND reference = :r")
                .param("r", reference).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("SELECT count(*) FROM payments_test_acquirer_authorization WHERE position(:pan IN card_last4 || reference) > 0")
                .param("pan", TestAcquirer.APPROVE).query(Long.class).single()).as("no card number stored").isZero();
    }

    @Test
    void aReleaseAChallengeAndATimeoutRetryWorkAcrossNodes() {
        String held = "pi_state" + UUID.randomUUID() + ":1";
        Acquirer.Result authorized = acquirer.authorize(held, card(TestAcquirer.APPROVE), 500, "CNY", false);
        assertThat(otherNode().release(held)).isEqualTo(authorized);
        assertThat(otherNode().capture(held, 500)).as("a released authorization is not captured").isEqualTo(new Acquirer.Result.Declined("capture-refused"));

        String challenged = "pi_state" + UUID.randomUUID() + ":1";
        Acquirer.Result challenge = acquirer.authorize(challenged, card(TestAcquirer.CHALLENGE), 700, "CNY", true);
        assertThat(challenge).isInstanceOf(Acquirer.Result.ChallengeRequired.class);
        String challengeId = ((Acquirer.Result.ChallengeRequired) challenge).challengeId();
        assertThat(otherNode().completeChallenge(challenged, "ch_other", TestAcquirer.CHALLENGE_CODE))
                .isEqualTo(new Acquirer.Result.Declined("challenge-mismatch"));
        assertThat(otherNode().completeChallenge(challenged, challengeId, TestAcquirer.CHALLENGE_CODE)).isInstanceOf(Acquirer.Result.Approved.class);

        String flaky = "pi_state" + UUID.randomUUID() + ":1";
        assertThat(acquirer.authorize(flaky, card(TestAcquirer.TIMEOUT_ONCE), 800, "CNY", true)).isEqualTo(new Acquirer.Result.TimedOut());
        assertThat(otherNode().authorize(flaky, card(TestAcquirer.TIMEOUT_ONCE), 800, "CNY", true))
                .as("the retry after a timeout settles it, wherever it runs").isInstanceOf(Acquirer.Result.Approved.class);

        assertThat(otherNode().capture("pi_unknown:1", 1)).isEqualTo(new Acquirer.Result.Declined("unknown-reference"));
    }
}
