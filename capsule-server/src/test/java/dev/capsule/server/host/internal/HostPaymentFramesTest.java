package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.host.internal.Wire.WireException;
import dev.capsule.server.payments.CardToken;
import dev.capsule.server.payments.CardView;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PaymentIntentId;
import dev.capsule.server.payments.PaymentSheets;
import dev.capsule.server.platform.ProblemException;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The host's payment frames without a server: the sheet's frame shows only what the payments module prepared (the
 * amount exactly, by its currency's minor unit), the browser's answer is a method (and step-up answer) or cancel and
 * nothing else, answered once; the card endpoint's parser refuses bad details naming the field without repeating them.
 */
class HostPaymentFramesTest {
    static final CardToken TOKEN = new CardToken("tok_abcdefghijklmnopqrstuvwxyz");

    static PaymentSheets.Order order(long minor, String currency) {
        return new PaymentSheets.Order(new PaymentIntentId("pi_abcdefghijklmnopqrstuvwxyz"), new MerchantId("mch_abcdefghijklmnopqrstuvwxyz"),
                "Fresh \"Fruit\" <b>", "3 apples\u2028", minor, currency,
                List.of(new CardView(TOKEN, "visa", "424242", "4242", YearMonth.of(2030, 12))), Optional.of(500L), Optional.empty(),
                Instant.parse("2026-12-07T12:00:00Z"));
    }

    @Test
    void theSheetFrameCarriesThePreparedOrderWithTheExactDecimalOfItsCurrency() {
        JsonNode eur = Wire.JSON.readTree(Wire.payment(3, order(1234, "EUR")));
        assertThat(eur.get("kind").stringValue()).isEqualTo("payment");
        assertThat(eur.get("merchant").get("name").stringValue()).isEqualTo("Fresh \"Fruit\" <b>");
        assertThat(eur.get("amount").toString()).isEqualTo("{\"minor\":1234,\"currency\":\"EUR\",\"decimal\":\"12.34\"}");
        assertThat(eur.get("wallet").get("decimal").stringValue()).isEqualTo("5.00");
        assertThat(eur.get("cards").toString()).isEqualTo("[{\"token\":\"" + TOKEN.value() + "\",\"brand\":\"visa\",\"last4\":\"4242\",\"expiry\":\"2030-12\"}]");
        assertThat(eur.get("cards").get(0).has("bin")).as("no more of a card than brand and last four").isFalse();
        assertThat(eur.get("stepUp").isNull()).isTrue();
        assertThat(Wire.JSON.readTree(Wire.payment(3, order(1234, "JPY"))).get("amount").get("decimal").stringValue()).isEqualTo("1234");
        assertThat(Wire.JSON.readTree(Wire.payment(3, order(1234, "KWD"))).get("amount").get("decimal").stringValue()).isEqualTo("1.234");
        assertThat(eur.get("description").stringValue()).as("a JSON string value, whatever it holds").isEqualTo("3 apples\u2028");
    }

    @Test
    void aPaymentAnswerIsAMethodWithAnOptionalStepUpOrFalse() throws Exception {
        assertThat(PaymentAnswer.fits(json("false"))).isTrue();
        assertThat(PaymentAnswer.fits(json("{\"method\":\"wallet\"}"))).isTrue();
        assertThat(PaymentAnswer.fits(json("{\"method\":\"" + TOKEN.value() + "\",\"stepUp\":{\"code\":\"123456\"}}"))).isTrue();
        for (String wrong : List.of("true", "1", "\"wallet\"", "{}", "{\"method\":\"4242424242424242\"}", "{\"method\":\"tok_x\"}",
                "{\"method\":\"wallet\",\"number\":\"4242424242424242\"}", "{\"method\":\"wallet\",\"stepUp\":\"123456\"}", "null")) {
            assertThat(PaymentAnswer.fits(json(wrong))).as(wrong).isFalse();
        }
        PaymentAnswer card = PaymentAnswer.of(Optional.of(json("{\"method\":\"" + TOKEN.value() + "\",\"stepUp\":{\"code\":\"1\"}}")));
        assertThat(card.method()).contains(new PaymentSheets.MethodChoice.Card(TOKEN));
        assertThat(card.stepUp().map(JsonNode::toString)).contains("{\"code\":\"1\"}");
        assertThat(PaymentAnswer.of(Optional.of(json("{\"method\":\"wallet\"}"))).method()).contains(new PaymentSheets.MethodChoice.Wallet());
        assertThat(PaymentAnswer.of(Optional.of(json("false"))).method()).as("cancel").isEmpty();
        assertThat(PaymentAnswer.of(Optional.empty()).method()).as("unanswered is cancel").isEmpty();
    }

    @Test
    void aPaymentPromptTakesOneFittingAnswerAndAWrongOneLeavesItWaiting() throws Exception {
        Prompts prompts = new Prompts();
        ConcurrentLinkedQueue<String> sent = new ConcurrentLinkedQueue<>();
        CompletableFuture<Optional<JsonNode>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return prompts.ask(Prompts.Kind.PAYMENT, id -> Wire.payment(id, order(1234, "EUR")), 0, sent::add, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        while (prompts.waitingFrames().isEmpty()) {
            Thread.onSpinWait();
        }
        int id = Wire.JSON.readTree(prompts.waitingFrames().getFirst()).get("id").intValue();
        assertThatThrownBy(() -> prompts.answer(id, (ObjectNode) json("{\"payment\":true}"))).isInstanceOf(WireException.class);
        assertThatThrownBy(() -> prompts.answer(id, (ObjectNode) json("{\"confirm\":true}"))).isInstanceOf(WireException.class);
        assertThat(prompts.waitingFrames()).as("still waiting").hasSize(1);
        prompts.answer(id, (ObjectNode) json("{\"payment\":{\"method\":\"wallet\"}}"));
        assertThat(answer.get().map(JsonNode::toString)).contains("{\"method\":\"wallet\"}");
        assertThatThrownBy(() -> prompts.answer(id, (ObjectNode) json("{\"payment\":false}"))).as("a second answer")
                .isInstanceOf(WireException.class);
    }

    @Test
    void theWireAcceptsPaymentAndChallengeAnswersAndNoCardFields() throws Exception {
        assertThat(Wire.parse("{\"t\":\"answer\",\"id\":2,\"challenge\":{\"code\":\"0000\"}}")).isInstanceOf(Wire.Inbound.Answer.class);
        assertThat(Wire.parse("{\"t\":\"answer\",\"id\":2,\"payment\":false}")).isInstanceOf(Wire.Inbound.Answer.class);
        for (String wrong : List.of("{\"t\":\"answer\",\"id\":2,\"paid\":true}", "{\"t\":\"answer\",\"id\":2,\"number\":\"4242424242424242\"}",
                "{\"t\":\"answer\",\"id\":2,\"payment\":false,\"challenge\":false}")) {
            assertThatThrownBy(() -> Wire.parse(wrong)).as(wrong).isInstanceOf(WireException.class);
        }
    }

    @Test
    void theCardEndpointRefusesBadDetailsNamingTheFieldWithoutRepeatingThem() {
        List<String> details = new ArrayList<>();
        for (String body : List.of(
                "{\"number\":\"4242 4242 4242 4241\",\"expiry\":\"12/40\",\"name\":\"Ada\"}",
                "{\"number\":\"4242\",\"expiry\":\"12/40\",\"name\":\"Ada\"}",
                "{\"number\":\"4242 4242 4242 4242\",\"expiry\":\"13/40\",\"name\":\"Ada\"}",
                "{\"number\":\"4242 4242 4242 4242\",\"expiry\":\"01/20\",\"name\":\"Ada\"}",
                "{\"number\":\"4242 4242 4242 4242\",\"expiry\":\"12/40\",\"name\":\"Ada\",\"code\":\"12a\"}",
                "{\"number\":\"4242 4242 4242 4242\",\"expiry\":\"12/40\",\"name\":\" \"}")) {
            ProblemException problem = org.assertj.core.api.Assertions.catchThrowableOfType(ProblemException.class,
                    () -> ShellCardController.details(json(body)));
            assertThat(problem).as(body).isNotNull();
            assertThat(problem.type()).isEqualTo(HostProblems.CARD_INVALID);
            assertThat(problem.getMessage()).doesNotContain("4242").doesNotContain("4241").doesNotContain("12a");
            details.add(problem.getMessage().substring(0, problem.getMessage().indexOf(':')));
        }
        assertThat(details).containsExactly("number", "number", "expiry", "expiry", "code", "name");
        var card = ShellCardController.details(json("{\"number\":\"4242-4242-4242-4242\",\"expiry\":\"12 / 2040\",\"name\":\"Ada\",\"code\":\"123\"}"));
        assertThat(card.expiry()).isEqualTo(YearMonth.of(2040, 12));
        assertThat(card.number().last4()).isEqualTo("4242");
        assertThat(card.toString()).doesNotContain("123\"").doesNotContain("4242424242424242");
    }

    static JsonNode json(String text) {
        return Wire.JSON.readTree(text);
    }
}
