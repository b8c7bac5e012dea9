package dev.capsule.server.payments.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.keys.KeyedIndex;
import dev.capsule.server.keys.SealedValueException;
import dev.capsule.server.payments.CardCode;
import dev.capsule.server.payments.CardDetails;
import dev.capsule.server.payments.CardNumber;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.YearMonth;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** The card vault: sealing, the keyed index, duplicates, token scope, detokenization and its audit. */
@CapsuleServerTest
class CardVaultTest {
    @Autowired CardVault vault;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption fields;
    @Autowired KeyedIndex index;
    @Autowired dev.capsule.server.payments.internal.merchants.MerchantDirectory merchants;
    @Autowired org.springframework.context.ApplicationEventPublisher events;
    @Autowired org.springframework.transaction.support.TransactionTemplate transactions;

    private MerchantId merchant() {
        return TestMerchants.create(jdbc, fields, "Vault Shop").id();
    }

    private static PayerId payer() {
        return new PayerId("user-" + System.nanoTime());
    }

    @Test
    void aCardIsStoredSealedAtItsTokenIndexedByAKeyedTagAndShownAsBinAndLastFour() throws Exception {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        String number = TestCards.number("4", 16);

        CardView view = vault.add(payer, merchant, TestCards.card(number));

        assertThat(view.token().value()).startsWith("tok_");
        assertThat(view.bin()).isEqualTo(number.substring(0, 6));
        assertThat(view.last4()).isEqualTo(number.substring(12));
        assertThat(view.brand()).isEqualTo("visa");
        var row = jdbc.sql("SELECT number_sealed, holder_sealed, index_key_id, index_tag FROM payments_card WHERE token = :t")
                .param("t", view.token().value()).query().singleRow();
        byte[] sealed = (byte[]) row.get("number_sealed");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain(number);
        assertThat(fields.open(DataPurpose.VAULT, sealed, JdbcCardVault.numberPlace(view.token().value())))
                .isEqualTo(number.getBytes(StandardCharsets.US_ASCII));
        // Bound to its token: the same ciphertext in another token's row does not open.
        assertThatThrownBy(() -> fields.open(DataPurpose.VAULT, sealed, JdbcCardVault.numberPlace(CardToken.random().value())))
                .isInstanceOf(SealedValueException.class);
        // Sealed under the vault keys, not another purpose's.
        assertThatThrownBy(() -> fields.open(DataPurpose.MERCHANT_SECRETS, sealed, JdbcCardVault.numberPlace(view.token().value())))
                .isInstanceOf(SealedValueException.class);
        assertThat(fields.open(DataPurpose.VAULT, (byte[]) row.get("holder_sealed"), JdbcCardVault.holderPlace(view.token().value())))
                .isEqualTo("Ada Lovelace".getBytes(StandardCharsets.UTF_8));
        KeyedIndex.Tag tag = index.tag(DataPurpose.CARD_INDEX, number.getBytes(StandardCharsets.US_ASCII));
        assertThat(row.get("index_tag")).isEqualTo(tag.hex());
        assertThat(((Number) row.get("index_key_id")).longValue()).isEqualTo(Integer.toUnsignedLong(tag.keyId()));
        // Keyed: not an unkeyed hash of the number.
        String unkeyed = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(number.getBytes(StandardCharsets.US_ASCII)));
        assertThat(unkeyed).doesNotContain(tag.hex());
    }

    @Test
    void noColumnOfTheVaultCanHoldACardCode() {
        List<String> columns = jdbc.sql("SELECT column_name FROM information_schema.columns WHERE table_name = 'payments_card'")
                .query(String.class).list();
        assertThat(columns).containsExactlyInAnyOrder("token", "merchant_id", "payer", "number_sealed", "holder_sealed", "index_key_id",
                "index_tag", "bin", "last4", "brand", "expiry_year", "expiry_month", "created_at");
    }

    @Test
    void theSameCardForTheSameMerchantAndPayerKeepsItsTokenWhateverItsFormatting() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        String number = TestCards.number("5", 16);
        String grouped = number.substring(0, 4) + " " + number.substring(4, 8) + " " + number.substring(8, 12) + " " + number.substring(12);

        CardView first = vault.add(payer, merchant, TestCards.card(number));
        CardView again = vault.add(payer, merchant, new CardDetails(CardNumber.parse(grouped), YearMonth.now().plusYears(5),
                "Ada King", Optional.empty()));
        CardView otherPayer = vault.add(payer(), merchant, TestCards.card(number));
        CardView otherMerchant = vault.add(payer, merchant(), TestCards.card(number));

        assertThat(again.token()).isEqualTo(first.token());
        assertThat(again.expiry()).as("a renewed card's expiry is taken").isEqualTo(YearMonth.now().plusYears(5));
        assertThat(otherPayer.token()).isNotEqualTo(first.token());
        assertThat(otherMerchant.token()).isNotEqualTo(first.token());
        assertThat(vault.list(payer, merchant, 10)).extracting(CardView::token).containsExactly(first.token());
        List<JsonNode> tokenized = AuditEvents.where(jdbc, e -> "card.tokenize".equals(AuditEvents.text(e, "type"))
                && first.token().value().equals(AuditEvents.text(e, "object")));
        assertThat(tokenized).extracting(e -> AuditEvents.text(e, "detail")).containsExactly("new", "existing");
    }

    @Test
    void aTokenResolvesOnlyForItsMerchantAndPayerAndAnyOtherUseLooksUnknown() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        CardToken token = vault.add(payer, merchant, TestCards.card(TestCards.number("4", 16))).token();
        PaymentIntentId intent = PaymentIntentId.random();
        AtomicInteger opened = new AtomicInteger();

        assertThat(vault.view(token, merchant, Optional.of(payer))).isPresent();
        for (var scope : List.of(
                new Scope(token, merchant(), Optional.of(payer)),
                new Scope(token, merchant, Optional.of(payer())),
                new Scope(token, merchant, Optional.empty()),
                new Scope(CardToken.random(), merchant, Optional.of(payer)))) {
            assertThat(vault.view(scope.token(), scope.merchant(), scope.payer())).as(scope.toString()).isEmpty();
            assertThat(vault.withCard(scope.token(), scope.merchant(), scope.payer(), intent, card -> opened.incrementAndGet()))
                    .as(scope.toString()).isEmpty();
            assertThat(vault.remove(scope.payer().orElse(payer()), scope.merchant(), scope.token())).isFalse();
        }

        assertThat(opened).hasValue(0);
        assertThat(vault.view(token, merchant, Optional.of(payer))).as("still there").isPresent();
        List<JsonNode> denied = AuditEvents.where(jdbc, e -> "denied".equals(AuditEvents.text(e, "outcome"))
                && token.value().equals(AuditEvents.text(e, "object")));
        assertThat(denied).extracting(e -> AuditEvents.line(e, " ", "type", "reason"))
                .containsOnly("card.detokenize unknown-token", "card.remove unknown-token").hasSize(6);
    }

    private record Scope(CardToken token, MerchantId merchant, Optional<PayerId> payer) {
    }

    @Test
    void withCardOpensTheCardForTheCallOnlyAndAuditsItWithTheIntent() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        String number = TestCards.number("37", 15);
        CardToken token = vault.add(payer, merchant, TestCards.card(number)).token();
        PaymentIntentId intent = PaymentIntentId.random();

        Optional<String> seen = vault.withCard(token, merchant, Optional.of(payer), intent,
                card -> card.number().digits(dev.capsule.server.payments.CardDataAccess.get()) + "/" + card.holderName());

        assertThat(seen).contains(number + "/Ada Lovelace");
        assertThat(vault.view(token, merchant, Optional.of(payer)).orElseThrow().brand()).isEqualTo("amex");
        List<JsonNode> detokenized = AuditEvents.where(jdbc, e -> "card.detokenize".equals(AuditEvents.text(e, "type"))
                && token.value().equals(AuditEvents.text(e, "object")));
        assertThat(detokenized).extracting(e -> AuditEvents.line(e, " ", "outcome", "detail", "merchant"))
                .containsExactly("success " + intent.value() + " " + merchant.value());
    }

    @Test
    void removingACardDeletesItAndIsAudited() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        CardToken token = vault.add(payer, merchant, TestCards.card(TestCards.number("6", 16))).token();

        assertThat(vault.remove(payer, merchant, token)).isTrue();

        assertThat(vault.view(token, merchant, Optional.of(payer))).isEmpty();
        assertThat(vault.remove(payer, merchant, token)).as("a second time: unknown").isFalse();
        assertThat(AuditEvents.where(jdbc, e -> "card.remove".equals(AuditEvents.text(e, "type"))
                && token.value().equals(AuditEvents.text(e, "object")))).extracting(e -> AuditEvents.text(e, "outcome"))
                .containsExactly("success", "denied");
    }

    @Test
    void anExpiredCardIsRefusedAndTheRefusalAudited() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        CardDetails expired = new CardDetails(CardNumber.parse(TestCards.number("4", 16)), YearMonth.now().minusMonths(1), "Ada",
                Optional.empty());
        CardDetails tooFar = new CardDetails(CardNumber.parse(TestCards.number("4", 16)), YearMonth.now().plusYears(21), "Ada",
                Optional.empty());
        CardDetails thisMonth = new CardDetails(CardNumber.parse(TestCards.number("4", 16)), YearMonth.now(), "Ada", Optional.empty());

        assertThatThrownBy(() -> vault.add(payer, merchant, expired)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(VaultProblems.CARD_EXPIRY));
        assertThatThrownBy(() -> vault.add(payer, merchant, tooFar)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(VaultProblems.CARD_EXPIRY));
        assertThat(vault.list(payer, merchant, 10)).isEmpty();
        assertThat(vault.add(payer, merchant, thisMonth).expiry()).isEqualTo(YearMonth.now());
        assertThat(AuditEvents.where(jdbc, e -> "card.tokenize".equals(AuditEvents.text(e, "type"))
                && merchant.value().equals(AuditEvents.text(e, "merchant")))).extracting(e -> AuditEvents.line(e, " ", "outcome", "reason"))
                .containsExactly("denied card-expired", "denied card-expiry-too-far", "success null");
    }

    /** Fail closed: with a card code and no acquirer to verify it, the card is refused, not saved unverified. */
    @Test
    void aCardCodeWithoutAnAcquirerIsRefusedAndNothingIsStored() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        CardDetails withCode = new CardDetails(CardNumber.parse(TestCards.number("4", 16)), YearMonth.now().plusYears(2), "Ada",
                Optional.of(CardCode.parse("0731")));

        CardVault withoutAcquirer = Vaults.with(Optional.empty(), jdbc, fields, index, merchants, events, transactions);

        assertThatThrownBy(() -> withoutAcquirer.add(payer, merchant, withCode)).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(VaultProblems.CARD_VERIFICATION_UNAVAILABLE));

        assertThat(vault.list(payer, merchant, 10)).isEmpty();
        CardDetails withoutCode = new CardDetails(withCode.number(), withCode.expiry(), "Ada", Optional.empty());
        assertThat(withoutAcquirer.add(payer, merchant, withoutCode).last4()).as("no code: nothing to verify")
                .isEqualTo(withCode.number().last4());
    }

    @Test
    void aDisabledOrUnknownMerchantTakesNoCards() {
        MerchantId disabled = merchant();
        jdbc.sql("UPDATE payments_merchant SET enabled = false WHERE merchant_id = :m").param("m", disabled.value()).update();
        PayerId payer = payer();

        for (MerchantId merchant : List.of(disabled, MerchantId.random())) {
            assertThatThrownBy(() -> vault.add(payer, merchant, TestCards.card(TestCards.number("4", 16))))
                    .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(VaultProblems.MERCHANT_UNAVAILABLE));
        }
        assertThat(vault.list(payer, disabled, 10)).isEmpty();
    }

    @Test
    void aPayerKeepsAtMostTheLimitOfCardsPerMerchantAndListsThemNewestFirst() {
        MerchantId merchant = merchant();
        PayerId payer = payer();
        CardView last = null;
        for (int i = 0; i < JdbcCardVault.CARDS_PER_SCOPE_MAX; i++) {
            last = vault.add(payer, merchant, TestCards.card(TestCards.number("4", 16)));
        }

        assertThatThrownBy(() -> vault.add(payer, merchant, TestCards.card(TestCards.number("4", 16))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(VaultProblems.CARD_LIMIT));
        assertThat(vault.list(payer, merchant, 1000)).hasSize(JdbcCardVault.LIST_ROWS_MAX).first()
                .extracting(CardView::token).isEqualTo(last.token());
        assertThat(vault.list(payer, merchant, 3)).hasSize(3);
        assertThatThrownBy(() -> vault.list(payer, merchant, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AuditEvents.where(jdbc, e -> "card.tokenize".equals(AuditEvents.text(e, "type"))
                && "card-limit".equals(AuditEvents.text(e, "reason")) && merchant.value().equals(AuditEvents.text(e, "merchant"))))
                .hasSize(1);
    }
}
