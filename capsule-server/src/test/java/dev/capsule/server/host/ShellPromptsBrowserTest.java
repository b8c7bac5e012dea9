package dev.capsule.server.host;

import static dev.capsule.server.host.ShellBrowser.JSON;
import static dev.capsule.server.host.ShellBrowser.element;
import static dev.capsule.server.host.ShellBrowser.text;
import static dev.capsule.server.host.ShellBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.ElementHandle;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Modals, action sheets, the consent sheet and the payment sheet are host chrome: drawn outside the frame
 * over the whole device (across the frame's border, which guest content can never cover), naming the mini-program
 * from the platform's identity strip, and each answered exactly once.
 */
class ShellPromptsBrowserTest {
    static ObjectNode prompt(int id, String kind) {
        return JSON.createObjectNode().put("t", "prompt").put("id", id).put("kind", kind);
    }

    static ShellBrowser started() {
        var shell = new ShellBrowser().open();
        shell.started(with(element(1, "div", "_capsule-page"), text(2, "page")));
        return shell;
    }

    @Test
    void aModalIsAnsweredOnceEvenWhenBothButtonsAreClicked() throws Exception {
        try (var shell = started()) {
            shell.send(prompt(1, "modal").put("title", "Delete?").put("content", "All todos go.").put("showCancel", true)
                    .put("confirmText", "Delete").put("cancelText", "Keep"));
            shell.page.waitForSelector(".capsule-sheet-modal");
            assertThat(shell.page.textContent(".capsule-sheet-modal .capsule-sheet-title")).isEqualTo("Delete?");
            assertThat(shell.page.textContent(".capsule-sheet-modal .capsule-sheet-app")).as("named by the platform").isEqualTo("Todo");
            assertThat(shell.page.textContent(".capsule-sheet-modal .capsule-sheet-developer")).isEqualTo("Example Org");
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            shell.page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-modal.png")));
            ElementHandle keep = shell.page.querySelector(".capsule-sheet-modal .capsule-cancel");
            shell.page.click(".capsule-sheet-modal .capsule-confirm");
            keep.dispatchEvent("click");
            shell.page.waitForTimeout(300);
            assertThat(shell.received).hasSize(1);
            assertThat(shell.received.getFirst().toString()).isEqualTo("{\"t\":\"answer\",\"id\":1,\"confirm\":true}");
            assertThat(shell.page.querySelector(".capsule-sheet-modal")).isNull();
            shell.send(prompt(1, "modal").put("title", "again"));
            shell.send(prompt(2, "modal").put("title", "No cancel").put("showCancel", false));
            shell.page.waitForSelector(".capsule-sheet[data-prompt='2']");
            assertThat(shell.page.querySelectorAll(".capsule-sheet[data-prompt='2'] .capsule-cancel")).isEmpty();
            shell.page.click(".capsule-sheet[data-prompt='2'] .capsule-confirm");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"answer\",\"id\":2,\"confirm\":true}");
        }
    }

    @Test
    void anActionSheetAnswersTheTappedIndexOrMinusOne() {
        try (var shell = started()) {
            ObjectNode sheet = prompt(3, "actionSheet");
            sheet.putArray("items").add("Share").add("Archive");
            shell.send(sheet);
            shell.page.click(".capsule-sheet-action-sheet .capsule-item >> text=Archive");
            assertThat(shell.frame(0).toString()).isEqualTo("{\"t\":\"answer\",\"id\":3,\"index\":1}");
            ObjectNode again = prompt(4, "actionSheet");
            again.putArray("items").add("Share");
            shell.send(again);
            shell.page.click(".capsule-sheet[data-prompt='4'] .capsule-cancel");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"answer\",\"id\":4,\"index\":-1}");
        }
    }

    @Test
    void theConsentSheetShowsScopeAndDeclaredPurposeAndAnswersAllowOrDeny() throws Exception {
        try (var shell = started()) {
            shell.send(prompt(5, "consent").put("scope", "scope.userLocation").put("purpose", "Show todos near you"));
            shell.page.waitForSelector(".capsule-sheet-consent");
            assertThat(shell.page.textContent(".capsule-consent-scope")).isEqualTo("scope.userLocation");
            assertThat(shell.page.textContent(".capsule-consent-purpose")).isEqualTo("Show todos near you");
            assertThat(shell.page.textContent(".capsule-sheet-consent")).contains("Settings");
            double[] frame = box(shell, "#capsule-frame");
            double[] consent = box(shell, ".capsule-sheet-consent");
            assertThat(consent[0]).as("the sheet spans beyond the frame's left edge").isLessThan(frame[0]);
            assertThat(consent[0] + consent[2]).as("and its right edge").isGreaterThan(frame[0] + frame[2]);
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            shell.page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-consent.png")));
            shell.page.click(".capsule-sheet-consent .capsule-deny");
            assertThat(shell.frame(0).toString()).isEqualTo("{\"t\":\"answer\",\"id\":5,\"allow\":false}");
            shell.send(prompt(6, "consent").put("scope", "scope.userInfo").put("purpose", "Greet you"));
            shell.page.click(".capsule-sheet[data-prompt='6'] .capsule-allow");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"answer\",\"id\":6,\"allow\":true}");
        }
    }

    static final String TOKEN = "tok_abcdefghijklmnopqrstuvwxyz";
    static final String NEW_TOKEN = "tok_zyxwvutsrqponmlkjihgfedcba";
    static final String HOSTILE = "<img src=x onerror=alert(1)>";

    static ObjectNode payment(int id) {
        ObjectNode frame = prompt(id, "payment");
        frame.putObject("merchant").put("id", "mch_abcdefghijklmnopqrstuvwxyz").put("name", "Fresh Fruit " + HOSTILE);
        frame.put("intent", "pi_abcdefghijklmnopqrstuvwxyz").put("description", "3 apples " + HOSTILE);
        frame.putObject("amount").put("minor", 1234).put("currency", "EUR").put("decimal", "12.34");
        frame.putArray("cards").addObject().put("token", TOKEN).put("brand", "visa").put("last4", "4242").put("expiry", "2030-12");
        frame.putObject("wallet").put("minor", 50000).put("currency", "EUR").put("decimal", "500.00");
        frame.putNull("stepUp");
        return frame.put("expiresAt", "2026-12-07T12:00:00Z");
    }

    @Test
    void thePaymentSheetShowsTheOrderAsTextAndAnswersTheChosenMethodOnce() throws Exception {
        try (var shell = started()) {
            shell.send(payment(7));
            shell.page.waitForSelector(".capsule-sheet-payment");
            assertThat(shell.page.textContent(".capsule-sheet-payment .capsule-sheet-title")).isEqualTo("Pay Fresh Fruit " + HOSTILE);
            assertThat(shell.page.textContent(".capsule-payment-amount")).as("formatted by its currency").isEqualTo("€12.34");
            assertThat(shell.page.textContent(".capsule-payment-description")).isEqualTo("3 apples " + HOSTILE);
            assertThat(shell.page.querySelectorAll(".capsule-sheet-payment img")).as("guest text is never markup").isEmpty();
            assertThat(shell.page.locator(".capsule-payment-method").allTextContents())
                    .containsExactly("Visa •••• 4242", "Wallet · balance €500.00");
            assertThat(shell.page.isDisabled(".capsule-pay")).as("nothing chosen yet").isTrue();
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            shell.page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-payment.png")));
            shell.page.click(".capsule-payment-card");
            ElementHandle cancel = shell.page.querySelector(".capsule-sheet-payment .capsule-cancel");
            shell.page.click(".capsule-pay");
            cancel.dispatchEvent("click");
            assertThat(shell.frame(0).toString()).isEqualTo("{\"t\":\"answer\",\"id\":7,\"payment\":{\"method\":\"" + TOKEN + "\"}}");
            shell.page.waitForTimeout(300);
            assertThat(shell.received).as("answered once").hasSize(1);
            assertThat(shell.page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            shell.send(payment(8));
            shell.page.click(".capsule-sheet[data-prompt='8'] .capsule-cancel");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"answer\",\"id\":8,\"payment\":false}");
        }
    }

    @Test
    void aNewCardGoesToTheCardEndpointWithTheCsrfTokenNeverThroughTheSocket() {
        try (var shell = started()) {
            shell.cards = request -> new com.microsoft.playwright.Route.FulfillOptions().setStatus(201).setContentType("application/json")
                    .setBody("{\"token\":\"" + NEW_TOKEN + "\",\"brand\":\"mastercard\",\"last4\":\"4444\",\"expiry\":\"2031-01\"}");
            shell.send(payment(9));
            shell.page.click(".capsule-payment-add-card");
            shell.page.fill(".capsule-card-number", "5555 5555 5555 4444");
            shell.page.fill(".capsule-card-expiry", "01/31");
            shell.page.fill(".capsule-card-code", "123");
            shell.page.fill(".capsule-card-name", "Ada Lovelace");
            shell.page.click(".capsule-card-save");
            shell.page.waitForSelector(".capsule-payment-method[data-method='" + NEW_TOKEN + "'][aria-checked='true']");
            assertThat(shell.cardRequests).hasSize(1);
            var posted = shell.cardRequests.getFirst();
            assertThat(posted.method()).isEqualTo("POST");
            assertThat(posted.headers()).containsEntry("x-shell-csrf", ShellBrowser.CSRF).containsEntry("content-type", "application/json");
            JsonNode card = ShellBrowser.JSON.readTree(posted.postData());
            assertThat(card.get("merchant").stringValue()).isEqualTo("mch_abcdefghijklmnopqrstuvwxyz");
            assertThat(card.get("number").stringValue()).isEqualTo("5555 5555 5555 4444");
            assertThat(card.get("code").stringValue()).isEqualTo("123");
            assertThat(shell.page.inputValue(".capsule-card-number")).as("the number leaves the page once saved").isEmpty();
            assertThat(shell.page.inputValue(".capsule-card-code")).isEmpty();
            assertThat(shell.page.textContent(".capsule-payment-method[data-method='" + NEW_TOKEN + "']")).isEqualTo("Mastercard •••• 4444");
            shell.page.click(".capsule-pay");
            assertThat(shell.frame(0).toString()).isEqualTo("{\"t\":\"answer\",\"id\":9,\"payment\":{\"method\":\"" + NEW_TOKEN + "\"}}");
            assertThat(shell.received.toString()).as("no card detail crossed the socket").doesNotContain("5555").doesNotContain("Lovelace");
        }
    }

    @Test
    void aRefusedCardShowsTheProblemDetailAsTextAndAddsNothing() {
        try (var shell = started()) {
            shell.cards = request -> new com.microsoft.playwright.Route.FulfillOptions().setStatus(400).setContentType("application/problem+json")
                    .setBody("{\"type\":\"card-invalid\",\"detail\":\"number: the card number is not valid " + HOSTILE + "\"}");
            shell.send(payment(10));
            shell.page.click(".capsule-payment-add-card");
            shell.page.fill(".capsule-card-number", "4242 4242 4242 4241");
            shell.page.click(".capsule-card-save");
            shell.page.waitForCondition(() -> !shell.page.textContent(".capsule-payment-error").isEmpty());
            assertThat(shell.page.textContent(".capsule-payment-error")).isEqualTo("number: the card number is not valid " + HOSTILE);
            assertThat(shell.page.querySelectorAll(".capsule-payment-method")).hasSize(2);
            assertThat(shell.page.evaluate("() => window.__pwned === undefined")).isEqualTo(true);
            assertThat(shell.received).isEmpty();
        }
    }

    @Test
    void stepUpAndTheIssuersChallengeAreAnsweredWithTheirCodes() throws Exception {
        try (var shell = started()) {
            ObjectNode frame = payment(11);
            frame.putObject("stepUp").put("kind", "code").put("digits", 6).put("label", "Enter the 6-digit code");
            shell.send(frame);
            shell.page.click(".capsule-payment-wallet");
            shell.page.fill(".capsule-card-step-up", "123456");
            Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
            shell.page.screenshot(new Page.ScreenshotOptions().setPath(screenshots.resolve("shell-payment-step-up.png")));
            shell.page.click(".capsule-pay");
            assertThat(shell.frame(0).toString())
                    .isEqualTo("{\"t\":\"answer\",\"id\":11,\"payment\":{\"method\":\"wallet\",\"stepUp\":{\"code\":\"123456\"}}}");
            ObjectNode challenge = prompt(12, "paymentChallenge");
            challenge.putObject("merchant").put("id", "mch_abcdefghijklmnopqrstuvwxyz").put("name", "Fresh Fruit");
            challenge.putObject("amount").put("minor", 1234).put("currency", "EUR").put("decimal", "12.34");
            challenge.putObject("challenge").put("kind", "code").put("label", "Code sent by your bank");
            shell.send(challenge);
            shell.page.waitForSelector(".capsule-sheet-payment-challenge");
            assertThat(shell.page.textContent(".capsule-sheet-payment-challenge .capsule-sheet-label")).isEqualTo("Code sent by your bank");
            shell.page.fill(".capsule-card-challenge", "0000");
            shell.page.click(".capsule-sheet-payment-challenge .capsule-confirm");
            assertThat(shell.frame(1).toString()).isEqualTo("{\"t\":\"answer\",\"id\":12,\"challenge\":{\"code\":\"0000\"}}");
            shell.send(JSON.createObjectNode().put("t", "paymentResult").put("outcome", "paid"));
            shell.page.waitForSelector(".capsule-payment-result");
            assertThat(shell.page.textContent(".capsule-payment-result")).isEqualTo("Paid");
        }
    }

    @Test
    void anUnansweredPromptDisappearsWhenTheConnectionDropsAndIsNotAnsweredForTheUser() {
        try (var shell = started()) {
            shell.send(prompt(8, "modal").put("title", "Still there?"));
            shell.page.waitForSelector(".capsule-sheet-modal");
            shell.dropSocket();
            shell.waitForSocket(2);
            assertThat(shell.page.querySelector(".capsule-sheet-modal")).isNull();
            assertThat(shell.received).isEmpty();
        }
    }

    static double[] box(ShellBrowser shell, String selector) {
        var b = shell.page.locator(selector).boundingBox();
        return new double[] {b.x, b.y, b.width, b.height};
    }
}
