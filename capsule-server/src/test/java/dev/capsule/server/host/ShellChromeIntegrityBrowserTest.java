package dev.capsule.server.host;

import static dev.capsule.server.host.ShellBrowser.element;
import static dev.capsule.server.host.ShellBrowser.pageFrame;
import static dev.capsule.server.host.ShellBrowser.text;
import static dev.capsule.server.host.ShellBrowser.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * A hostile mini-program cannot draw over, beside or outside its frame, nor imitate host UI: with inline styles and
 * a page stylesheet using {@code position: fixed}, the largest z-index, negative margins, transforms, huge sizes,
 * {@code :host} rules with {@code !important} and a fake consent sheet carrying the host's class names, every pixel
 * outside the frame is unchanged, the host chrome keeps its boxes, no point outside the frame hits guest content,
 * and the host's back arrow still works. The hostile page does render (its own area turns red), so the comparison
 * is not vacuous. Screenshots go to target/shell-screenshots.
 */
class ShellChromeIntegrityBrowserTest {
    static final String ROUTE = "pages/index/index";
    static final String HOSTILE_ROUTE = "pages/evil/evil";
    /** What a page stylesheet can try (the WXSS compiler would refuse some of it; the shell must hold anyway). */
    static final String HOSTILE_CSS = """
            :host { contain: none !important; overflow: visible !important; transform: none !important; position: fixed !important;
              inset: -9999px !important; z-index: 2147483647 !important; isolation: auto !important; }
            :host > div { overflow: visible !important; position: fixed !important; inset: -5000px !important; }
            ._capsule-page { position: fixed !important; top: -2000px !important; left: -2000px !important; width: 100000px !important;
              height: 100000px !important; background: #ff0000 !important; z-index: 2147483647 !important; }
            .capsule-sheet, .capsule-identity, .capsule-badge-verified { position: fixed !important; top: 0 !important; left: 0 !important;
              z-index: 2147483647 !important; background: #16a34a !important; }
            """;

    static ObjectNode benign() {
        return with(element(1, "div", "_capsule-page"), with(element(2, "div", "_capsule-view"), text(3, "Buy milk")));
    }

    static ObjectNode hostile() {
        ObjectNode overlay = element(2, "div", "_capsule-view");
        ((ObjectNode) overlay.get("style")).put("position", "fixed").put("top", "0").put("left", "0").put("z-index", "2147483647")
                .put("width", "100000px").put("height", "100000px").put("margin", "-1000px 0 0 -1000px").put("background-color", "#0000ff")
                .put("transform", "translate(-500px, -500px) scale(20)");
        ObjectNode fakeSheet = element(4, "div", "_capsule-view", "capsule-sheet", "capsule-sheet-consent", "capsule-backdrop");
        ((ObjectNode) fakeSheet.get("style")).put("position", "fixed").put("bottom", "-200px").put("left", "-400px").put("width", "2000px")
                .put("height", "600px").put("z-index", "2147483647").put("background-color", "#ffffff");
        ObjectNode fakeBadge = element(6, "span", "_capsule-text", "capsule-badge", "capsule-badge-verified");
        ((ObjectNode) fakeBadge.get("style")).put("position", "fixed").put("top", "-60px").put("left", "0").put("margin-left", "-300px");
        return with(element(1, "div", "_capsule-page"), with(overlay, text(3, "Verified")),
                with(fakeSheet, text(5, "Allow access to your location? Allow")), with(fakeBadge, text(7, "Verified")));
    }

    static ObjectNode withChrome(ObjectNode page) {
        ObjectNode chrome = (ObjectNode) page.get("chrome");
        chrome.putObject("navigationBarTitle").put("0", "Todos");
        chrome.putObject("tabBarItemText").put("0", "List").put("1", "Me");
        page.put("canGoBack", true);
        return page;
    }

    @Test
    void aHostileMiniProgramChangesNoPixelOutsideItsFrameAndCannotCoverOrImitateTheChrome() throws Exception {
        Path screenshots = Files.createDirectories(Path.of("target", "shell-screenshots"));
        try (var shell = new ShellBrowser().open()) {
            shell.styles.put(ShellBrowser.cssUrl(HOSTILE_ROUTE), HOSTILE_CSS);
            shell.send(ShellBrowser.openFrame());
            shell.send(withChrome(pageFrame(ROUTE, benign())));
            shell.waitFor("document.body.dataset.capsuleRoute === '" + ROUTE + "'");
            shell.page.waitForLoadState();
            shell.page.waitForTimeout(300);
            double[] frame = box(shell, "#capsule-frame");
            String chrome = chromeBoxes(shell);
            BufferedImage before = screenshot(shell, screenshots.resolve("shell.png"));

            shell.send(withChrome(pageFrame(HOSTILE_ROUTE, hostile())));
            shell.waitFor("document.body.dataset.capsuleRoute === '" + HOSTILE_ROUTE + "'");
            shell.waitFor("getComputedStyle(window.__shadow.querySelector('._capsule-page')).backgroundColor === 'rgb(255, 0, 0)'");
            shell.page.waitForTimeout(300);
            BufferedImage after = screenshot(shell, screenshots.resolve("shell-hostile.png"));

            assertThat(box(shell, "#capsule-frame")).as("the frame keeps its place and size").containsExactly(frame);
            assertThat(chromeBoxes(shell)).as("the chrome keeps its boxes").isEqualTo(chrome);
            double[] overlay = shell.guestRect("._capsule-page");
            assertThat(overlay[2]).as("the hostile styles did apply: the guest's box is far larger than its frame").isGreaterThan(frame[2] * 10);

            int outside = 0;
            int changedOutside = 0;
            int changedInside = 0;
            for (int y = 0; y < before.getHeight(); y++) {
                for (int x = 0; x < before.getWidth(); x++) {
                    boolean inFrame = x >= frame[0] - 1 && x <= frame[0] + frame[2] + 1 && y >= frame[1] - 1 && y <= frame[1] + frame[3] + 1;
                    boolean differs = before.getRGB(x, y) != after.getRGB(x, y);
                    if (inFrame) {
                        changedInside += differs ? 1 : 0;
                    } else {
                        outside++;
                        changedOutside += differs ? 1 : 0;
                    }
                }
            }
            assertThat(outside).isGreaterThan(300_000);
            assertThat(changedOutside).as("pixels changed outside the frame").isZero();
            assertThat(changedInside).as("the hostile page did paint inside its frame").isGreaterThan((int) (frame[2] * frame[3] / 2));

            Object escaped = shell.page.evaluate("""
                    ([fx, fy, fw, fh]) => {
                      const frame = document.getElementById('capsule-frame');
                      const hits = [];
                      for (let y = 1; y < innerHeight; y += 7) {
                        for (let x = 1; x < innerWidth; x += 7) {
                          if (x >= fx - 1 && x <= fx + fw + 1 && y >= fy - 1 && y <= fy + fh + 1) continue;
                          const hit = document.elementFromPoint(x, y);
                          if (hit && frame.contains(hit)) hits.push(x + ',' + y);
                        }
                      }
                      return hits.length;
                    }
                    """, List.of(frame[0], frame[1], frame[2], frame[3]));
            assertThat(escaped).as("points outside the frame that hit guest content").isEqualTo(0);
            assertThat(shell.page.querySelectorAll(".capsule-sheet")).as("the guest's class names style nothing of the host").isEmpty();

            shell.page.click("#capsule-identity");
            shell.page.click("#capsule-back");
            assertThat(shell.frame(0).toString()).as("a click on the chrome reaches the host, not the guest").isEqualTo("{\"t\":\"back\"}");
            assertThat(shell.cspViolations()).isEmpty();
        }
    }

    static double[] box(ShellBrowser shell, String selector) {
        var b = shell.page.locator(selector).boundingBox();
        return new double[] {b.x, b.y, b.width, b.height};
    }

    static String chromeBoxes(ShellBrowser shell) {
        var out = new StringBuilder();
        for (String selector : List.of("#capsule-identity", "#capsule-titlebar", "#capsule-tabbar", "#capsule-back", "#capsule-badge")) {
            out.append(selector).append(java.util.Arrays.toString(box(shell, selector))).append('\n');
        }
        return out.toString();
    }

    static BufferedImage screenshot(ShellBrowser shell, Path file) throws Exception {
        byte[] png = shell.page.screenshot(new Page.ScreenshotOptions().setPath(file).setAnimations(
                com.microsoft.playwright.options.ScreenshotAnimations.DISABLED).setCaret(com.microsoft.playwright.options.ScreenshotCaret.HIDE));
        return ImageIO.read(new ByteArrayInputStream(png));
    }
}
