package dev.capsule.server.payments.internal.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The vault's personal-data holder: a person's cards masked in their export, deleted on erasure, nobody else's touched. */
@CapsuleServerTest
class VaultPersonalDataTest {
    @Autowired CardVault vault;
    @Autowired VaultPersonalData holder;
    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption fields;

    private MerchantId merchant(String name) {
        return TestMerchants.create(jdbc, fields, name).id();
    }

    private static PayerId payer() {
        return new PayerId("user-" + UUID.randomUUID());
    }

    @Test
    void theExportListsExactlyThePersonsCardsMaskedWithTheNameTheyGaveAndNeverANumber() {
        MerchantId shop = merchant("Card Shop");
        MerchantId cafe = merchant("Card Cafe");
        PayerId ada = payer();
        PayerId bob = payer();
        List<String> adasNumbers = List.of(TestCards.number("4", 16), TestCards.number("51", 16), TestCards.number("62", 19));
        vault.add(ada, shop, TestCards.card(adasNumbers.get(0)));
        vault.add(ada, shop, TestCards.card(adasNumbers.get(1)));
        vault.add(ada, cafe, TestCards.card(adasNumbers.get(2)));
        String bobsNumber = TestCards.number("4", 16);
        vault.add(bob, shop, new dev.capsule.server.payments.CardDetails(dev.capsule.server.payments.CardNumber.parse(bobsNumber),
                YearMonth.now().plusYears(1), "Bob Builder", java.util.Optional.empty()));

        HeldData held = holder.export(new DataSubject(ada.value()));

        assertThat(held.holder()).isEqualTo("payments.cards");
        assertThat(held.truncated()).isFalse();
        assertThat(held.records()).hasSize(3);
        assertThat(held.records()).extracting(r -> r.get("merchant")).containsExactly(shop.value(), shop.value(), cafe.value());
        assertThat(held.records()).extracting(r -> r.get("last4"))
                .containsExactly(adasNumbers.stream().map(n -> n.substring(n.length() - 4)).toArray());
        assertThat(held.records()).extracting(r -> r.get("brand")).containsExactly("visa", "mastercard", "unionpay");
        assertThat(held.records()).allSatisfy(card -> {
            assertThat(card).containsEntry("kind", "card").containsEntry("nameOnCard", "Ada Lovelace")
                    .containsEntry("expiryYear", YearMonth.now().plusYears(3).getYear())
                    .containsEntry("expiryMonth", YearMonth.now().plusYears(3).getMonthValue())
                    .containsKey("created")
                    .doesNotContainKeys("number", "bin", "token");
        });
        String all = held.toString();
        for (String number : adasNumbers) {
            assertThat(all).as("no full card number").doesNotContain(number).doesNotContain(number.substring(0, 6));
        }
        assertThat(all).doesNotContain(bobsNumber.substring(0, 6)).doesNotContain("Bob Builder").doesNotContain("tok_");
        assertThat(holder.export(new DataSubject(bob.value())).records()).singleElement()
                .satisfies(card -> assertThat(card).containsEntry("nameOnCard", "Bob Builder"));
        assertThat(holder.export(new DataSubject(payer().value())).records()).isEmpty();
    }

    @Test
    void erasureDeletesThePersonsCardsEachRemovalAuditedAndLeavesOthersCards() {
        MerchantId shop = merchant("Erasing Shop");
        PayerId ada = payer();
        PayerId bob = payer();
        CardView first = vault.add(ada, shop, TestCards.card(TestCards.number("4", 16)));
        CardView second = vault.add(ada, merchant("Erasing Cafe"), TestCards.card(TestCards.number("5", 16)));
        CardView bobs = vault.add(bob, shop, TestCards.card(TestCards.number("4", 16)));

        Erasure erasure = holder.erase(new DataSubject(ada.value()));

        assertThat(erasure.holder()).isEqualTo("payments.cards");
        assertThat(erasure.deleted()).containsExactly(new Erasure.Deleted("payments_card", 2));
        assertThat(erasure.retained()).isEmpty();
        assertThat(erasure.subjectKeys()).as("cards are sealed under the platform's vault keys, not a subject key").isEmpty();
        assertThat(jdbc.sql("SELECT count(*) FROM payments_card WHERE payer = ?").param(ada.value()).query(Long.class).single()).isZero();
        assertThat(vault.list(bob, shop, 10)).extracting(CardView::token).containsExactly(bobs.token());
        assertThat(AuditEvents.where(jdbc, e -> "card.remove".equals(AuditEvents.text(e, "type")) && "erasure".equals(AuditEvents.text(e, "detail"))))
                .extracting(e -> AuditEvents.text(e, "object"))
                .contains(first.token().value(), second.token().value()).doesNotContain(bobs.token().value());
        assertThat(holder.export(new DataSubject(ada.value())).records()).isEmpty();
        assertThat(holder.erase(new DataSubject(ada.value())).deleted()).as("idempotent")
                .containsExactly(new Erasure.Deleted("payments_card", 0));
    }

    @Test
    void theHolderAnswersForTheVaultTable() {
        assertThat(holder.name()).isEqualTo("payments.cards");
        assertThat(holder.tables()).containsExactly("payments_card");
    }
}
