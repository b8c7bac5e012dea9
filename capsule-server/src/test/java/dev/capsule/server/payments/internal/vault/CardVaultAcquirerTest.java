package dev.capsule.server.payments.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.internal.acquirer.Acquirer;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** A card code goes to the acquirer's zero-amount verification and decides whether the card is saved; it is never stored. */
@CapsuleServerTest
class CardVaultAcquirerTest {
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption fields;
    @Autowired KeyedIndex index;
    @Autowired MerchantDirectory merchants;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transactions;

    private CardVault vault(Acquirer acquirer) {
        return Vaults.with(Optional.of(acquirer), jdbc, fields, index, merchants, events, transactions);
    }

    private static CardDetails card(String number, Optional<String> code) {
        return new CardDetails(CardNumber.parse(number), YearMonth.now().plusYears(2), "Grace Hopper", code.map(CardCode::parse));
    }

    @Test
    void theCodeGoesToTheAcquirersVerificationAndAnApprovedCardIsSaved() {
        RecordingAcquirer acquirer = new RecordingAcquirer(new Acquirer.Result.Approved("ok-1"));
        MerchantId merchant = TestMerchants.create(jdbc, fields, "Acquirer Shop").id();
        PayerId payer = new PayerId("payer-" + System.nanoTime());
        String number = TestCards.number("4", 16);

        CardView saved = vault(acquirer).add(payer, merchant, card(number, Optional.of("0731")));

        assertThat(acquirer.verifications).singleElement().satisfies(v -> {
            assertThat(v.reference()).startsWith("card-verify:tok_");
            assertThat(v.number()).isEqualTo(number);
            assertThat(v.code()).contains("0731");
        });
        assertThat(saved.last4()).isEqualTo(number.substring(12));
    }

    /**
     * A card whose issuer asks for authentication is a card the issuer knows: it is saved (the zero-amount check's
     * challenge is never answered and approves nothing); each payment with it is authorized on its own and goes through
     * the issuer's challenge then ({@code PaymentIntentsHttpTest}, {@code ShellPaymentEndToEndBrowserTest}).
     */
    @Test
    void aCardWhoseIssuerAsksForAuthenticationIsSavedToBeChallengedWhenItPays() {
        RecordingAcquirer acquirer = new RecordingAcquirer(new Acquirer.Result.ChallengeRequired("ch-1"));
        MerchantId merchant = TestMerchants.create(jdbc, fields, "Acquirer Shop").id();
        PayerId payer = new PayerId("payer-" + System.nanoTime());
        String number = TestCards.number("4", 16);

        CardView saved = vault(acquirer).add(payer, merchant, card(number, Optional.of("0731")));

        assertThat(acquirer.verifications).singleElement().satisfies(v -> assertThat(v.code()).contains("0731"));
        assertThat(vault(acquirer).list(payer, merchant, 10)).extracting(CardView::token).containsExactly(saved.token());
        assertThat(AuditEvents.where(jdbc, e -> "card.tokenize".equals(AuditEvents.text(e, "type"))
                && merchant.value().equals(AuditEvents.text(e, "merchant")))).extracting(e -> AuditEvents.text(e, "outcome"))
                .containsExactly("success");
    }

    @Test
    void withoutACodeNothingIsVerified() {
        RecordingAcquirer acquirer = new RecordingAcquirer(new Acquirer.Result.Declined("card-declined"));
        MerchantId merchant = TestMerchants.create(jdbc, fields, "Acquirer Shop").id();

        vault(acquirer).add(new PayerId("payer-" + System.nanoTime()), merchant, card(TestCards.number("4", 16), Optional.empty()));

        assertThat(acquirer.verifications).isEmpty();
    }

    @Test
    void aCardTheAcquirerDoesNotApproveIsRefusedAndNothingIsStored() {
        MerchantId merchant = TestMerchants.create(jdbc, fields, "Acquirer Shop").id();
        PayerId payer = new PayerId("payer-" + System.nanoTime());
        record Case(Acquirer.Result answer, String problem, String reason) {
        }
        List<Case> cases = List.of(
                new Case(new Acquirer.Result.Declined("insufficient-funds"), "card-declined", "card-declined"),
                new Case(new Acquirer.Result.Declined("Not A Code\n"), "card-declined", "card-declined"),
                new Case(new Acquirer.Result.TimedOut(), "card-verification-unavailable", "acquirer-timeout"));
        for (Case c : cases) {
            CardVault vault = vault(new RecordingAcquirer(c.answer()));
            assertThatThrownBy(() -> vault.add(payer, merchant, card(TestCards.number("4", 16), Optional.of("0731"))))
                    .as(c.toString()).isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.type().slug()).isEqualTo(c.problem());
                        assertThat(e.getMessage()).doesNotContain("0731");
                    });
        }

        assertThat(vault(new RecordingAcquirer(new Acquirer.Result.Approved("x"))).list(payer, merchant, 10)).isEmpty();
        assertThat(AuditEvents.where(jdbc, e -> "card.tokenize".equals(AuditEvents.text(e, "type"))
                && merchant.value().equals(AuditEvents.text(e, "merchant")))).extracting(e -> AuditEvents.line(e, " ", "outcome", "reason"))
                .containsExactly("denied card-declined", "denied card-declined", "denied acquirer-timeout");
    }
}
