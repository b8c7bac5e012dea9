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
 * Modals, action sheets, the consent sheet and the payment sheet's slot are host chrome: drawn outside the frame
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

    @Test
    void thePaymentSlotShowsTheRequestAndCanOnlyAnswerNotPaid() {
        try (var shell = started()) {
            ObjectNode payment = prompt(7, "payment");
            payment.putObject("request").put("amount", "12.00").put("currency", "EUR").put("description", "Premium todos");
            shell.send(payment);
            shell.page.waitForSelector(".capsule-sheet-payment");
            assertThat(shell.page.locator(".capsule-payment-request dd").allTextContents()).containsExactly("12.00", "EUR", "Premium todos");
            assertThat(shell.page.querySelectorAll(".capsule-sheet-payment button")).hasSize(1);
            shell.page.click(".capsule-sheet-payment .capsule-cancel");
            JsonNode answer = shell.frame(0);
            assertThat(answer.toString()).isEqualTo("{\"t\":\"answer\",\"id\":7,\"paid\":false}");
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
