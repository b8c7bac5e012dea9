package dev.capsule.server.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Clip;
import dev.capsule.server.registry.RegistryFixture;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * A hostile mini-program, released like any other (signed by a verified organisation, reviewed, approved), opened
 * in Chromium through the real server: the XSS corpus (the view layer's plus the browser payloads) in its page
 * data, element ids, classes, inline styles and text, in the navigation bar title, a toast, a modal and two
 * rich-text nodes, and its privacy purpose; a stylesheet and inline styles that try to cover the whole window
 * ({@code position: fixed}, the largest z-index, negative margins, transforms, huge sizes); and a fake consent
 * sheet built from views carrying the host's class names. Nothing executes ({@code window.__pwned} stays unset), the
 * page raises no CSP violation and the server counts no report (then one planted by the test is seen, so zero is
 * not silence); no point outside the frame hits guest content; the identity bar (verified name, developer, badge)
 * has the same pixels before and after; the fake sheet is drawn inside the frame while the real consent sheet the
 * host shows for {@code wx.getLocation} (asked once the host's modal is
 * answered) is outside it, on top. Last, the corpus as ids, class names and inline styles: the host refuses that
 * batch whole, nothing of it reaches the page, and the session ends with a plain message.
 */
@CapsuleServerTest
class ShellHostileMiniProgramBrowserTest {
    static final String ROUTE = "pages/index/index";
    /** The largest z-index a stylesheet can write. */
    static final String Z_MAX = "2147483647";

    @Autowired TestHttps https;
    @Autowired ApplicationContext spring;

    /** The hostile mini-program (written for this test): a harmless first screen, then "Arm" turns it hostile. */
    static Map<String, String> hostile(String appId) {
        List<String> corpus = ShellXssCorpusBrowserTest.payloads();
        String payloads = ShellBrowser.JSON.writeValueAsString(corpus);
        String evil = "<img src=x onerror=\"window.__pwned='img'\">";
        String rich = ShellBrowser.JSON.writeValueAsString(List.of(
                Map.of("name", "img", "attrs", Map.of("src", "x", "onerror", "window.__pwned='rich-img'")),
                Map.of("name", "script", "children", List.of(Map.of("type", "text", "text", "window.__pwned='rich-script'"))),
                Map.of("name", "a", "attrs", Map.of("href", "javascript:window.__pwned='rich-a'"),
                        "children", List.of(Map.of("type", "text", "text", "rich link"))),
                Map.of("name", "div", "attrs", Map.of("class", "capsule-sheet", "style", "color:#00f"),
                        "children", List.of(Map.of("type", "text", "text", "rich sheet")))));
        return Map.of(
                "capsule.json", """
                        {"id": "%s", "version": "1.0.0", "name": "Hostile",
                         "developer": {"id": "example", "name": "Example Ltd"},
                         "network": {"request": [], "uploadFile": [], "downloadFile": [], "connectSocket": []},
                         "privacy": [{"data": "location", "apis": ["wx.getLocation"], "purpose": %s}],
                         "dependencies": []}""".formatted(appId, ShellBrowser.JSON.writeValueAsString(evil + " to find you")),
                "app.json", """
                        {"pages": ["pages/index/index", "pages/about/about"],
                         "window": {"navigationBarTitleText": %s}}""".formatted(ShellBrowser.JSON.writeValueAsString(evil)),
                "app.js", "App({});\n",
                "pages/index/index.json", "{}",
                "pages/index/index.wxml", """
                        <view class="controls">
                          <button id="arm" bindtap="arm">Arm</button>
                          <text id="located">located {{located}}</text>
                        </view>
                        <view wx:if="{{cover}}" class="cover" bindtap="ask"><text class="cover-text">Verified by Capsule</text></view>
                        <view wx:if="{{coverInline}}" class="cover2" bindtap="ask" style="position:fixed;top:-300px;left:-300px;z-index:%1$s;width:100000px;height:100000px;margin:-200px 0 0 -200px;transform:translate(-100px,-100px) scale(5);background-color:#7f1d1d">inline</view>
                        <view wx:if="{{fake}}" class="fake-sheet capsule-sheet capsule-sheet-consent capsule-backdrop">
                          <text class="capsule-sheet-title">This mini-program asks for permission</text>
                          <text class="capsule-consent-scope">scope.userLocation</text>
                          <button class="capsule-allow">Allow</button>
                          <text>Pay 99.00 to Example Ltd</text>
                        </view>
                        <view wx:for="{{texts}}" class="payload"><text>{{item}}</text><input value="{{item}}" placeholder="{{item}}" /></view>
                        <rich-text wx:if="{{rich.length}}" nodes="{{rich}}"></rich-text>
                        <rich-text wx:if="{{richString}}" nodes="{{richString}}"></rich-text>
                        <view wx:for="{{attributes}}" class="payload" id="{{item}}" data-evil="{{item}}">attribute</view>
                        <view wx:for="{{classes}}" class="payload {{item}}">class</view>
                        <view wx:for="{{styles}}" class="payload" style="{{item}}">style</view>
                        """.formatted(Z_MAX),
                "pages/index/index.wxss", """
                        .cover { position: fixed; top: -2000px; left: -2000px; width: 100000px; height: 100000px; z-index: %1$s;
                          margin: -300px 0 0 -300px; transform: translate(-100px, -100px) scale(3); background-color: #b91c1c; }
                        .payload { position: relative; margin: -40px -900px 0 -900px; transform: rotate(3deg) scale(1.5); }
                        .fake-sheet { position: fixed; left: -400px; right: -400px; bottom: -60px; height: 420px; z-index: %1$s;
                          background-color: #ffffff; border-radius: 16px 16px 0 0; display: block; }
                        .cover-text { position: absolute; top: -5000px; left: -5000px; width: 20000px; height: 20000px; }
                        """.formatted(Z_MAX),
                "pages/index/index.js", """
                        const PAYLOADS = %s;
                        const EVIL = %s;
                        Page({
                          data: { cover: false, coverInline: false, fake: false, located: 'no', texts: [], attributes: [], classes: [], styles: [],
                            rich: [], richString: '' },
                          arm() {
                            // One change per place, each its own batch: the host refuses a whole batch it finds
                            // hostile, so one refused place must not keep the others from being tried.
                            const steps = [{ coverInline: true }, { fake: true }, { texts: PAYLOADS }, { rich: %s },
                              { richString: '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' + EVIL }];
                            this.setData({ cover: true });
                            steps.forEach((step, i) => setTimeout(() => this.setData(step), 40 * (i + 1)));
                            wx.setNavigationBarTitle({ title: EVIL });
                            wx.showToast({ title: EVIL, icon: 'none', duration: 10000 });
                          },
                          ask() {
                            wx.showModal({ title: EVIL, content: EVIL + ' ' + PAYLOADS[0], complete: () => this.locate() });
                          },
                          locate() {
                            wx.getLocation({ complete: (r) => {
                              this.setData({ located: r.errMsg });
                              // Last, the corpus as ids, dataset, class names and inline styles: the host checks every
                              // batch and may refuse one whole (which ends this session), so these come after the rest.
                              [{ attributes: PAYLOADS }, { classes: PAYLOADS }, { styles: PAYLOADS }]
                                .forEach((step, i) => setTimeout(() => this.setData(step), 40 * (i + 1)));
                            } });
                          }
                        });
                        """.formatted(payloads, ShellBrowser.JSON.writeValueAsString(evil), rich));
    }

    @Test
    void aHostileReleasedMiniProgramExecutesNothingAndCannotCoverImitateOrLeaveItsFrame() throws Exception {
        try (ReleasedShell shell = new ReleasedShell(https, spring)) {
            RegistryFixture.Developer developer = shell.released("utility", ShellHostileMiniProgramBrowserTest::hostile);
            shell.enter("hostile-user-" + System.nanoTime());
            double reportsBefore = shell.cspReports();
            shell.open(developer.appId(), ROUTE);
            shell.waitForGuestText("located no");
            shell.page.waitForTimeout(300);
            double[] frame = shell.box("#capsule-frame");
            double[] identity = shell.box("#capsule-identity");
            BufferedImage before = image(shell.page.screenshot(new Page.ScreenshotOptions().setClip(clip(identity))));
            assertThat(shell.page.textContent("#capsule-title")).as("the title is text").isEqualTo("<img src=x onerror=\"window.__pwned='img'\">");

            shell.click(shell.guestRectOfText("Arm"));
            shell.waitFor("document.getElementById('capsule-toasts').textContent.includes('<img src=x onerror=')"
                    + " && !document.querySelector('#capsule-toasts img')");
            shell.waitFor("window.__shadow.querySelector('.cover') && getComputedStyle(window.__shadow.querySelector('.cover')).zIndex === '"
                    + Z_MAX + "'");
            shell.waitForGuestText("Pay 99.00 to Example Ltd");
            shell.waitForGuestText("<svg><script>window.__pwned='svg'</script></svg>");
            shell.waitForGuestText("rich link");
            shell.page.waitForTimeout(300);
            assertThat(shell.page.evaluate("() => window.__shadow.querySelectorAll('.payload').length"))
                    .as("every corpus string rendered as text and as an input's value").isEqualTo(ShellXssCorpusBrowserTest.payloads().size());
            shell.page.mouse().move(frame[0] + 5, frame[1] + 5);
            shell.page.mouse().move(frame[0] + frame[2] - 5, frame[1] + frame[3] - 5, new com.microsoft.playwright.Mouse.MoveOptions().setSteps(20));
            shell.page.waitForTimeout(300);
            shell.screenshot("shell-hostile.png");

            // The chrome: same pixels, same boxes; host texts stay text.
            assertThat(shell.box("#capsule-identity")).containsExactly(identity);
            assertThat(shell.box("#capsule-frame")).as("the frame keeps its place and size").containsExactly(frame);
            BufferedImage after = image(shell.page.screenshot(new Page.ScreenshotOptions().setClip(clip(identity))));
            assertThat(differingPixels(before, after)).as("identity bar pixels changed by the hostile page").isZero();
            assertThat(shell.page.textContent("#capsule-badge")).isNotBlank();
            assertThat(shell.page.textContent("#capsule-title")).isEqualTo("<img src=x onerror=\"window.__pwned='img'\">");
            assertThat(shell.page.locator("#capsule-sheets img, #capsule-toasts img, #capsule-title img").count()).isZero();

            // The hostile styles did apply (else nothing would be shown): the cover is far larger than the frame.
            double[] cover = shell.guestRect(".cover");
            assertThat(cover[2]).isGreaterThan(frame[2] * 10);
            assertThat(guestHitsOutside(shell, frame)).as("points outside the frame that reach guest content").isEqualTo(0);
            double[] fake = visible(shell.guestRect(".fake-sheet"), frame);
            assertThat(fake[2] * fake[3]).as("the fake sheet is drawn inside the frame").isPositive();
            assertThat(shell.page.evaluate("([x, y]) => { const hit = window.__shadow.elementFromPoint(x, y);"
                    + " return !!hit && !!hit.closest('.fake-sheet'); }", List.of(fake[0] + fake[2] / 2, fake[1] + fake[3] / 2)))
                    .as("what is seen there is the guest's fake sheet, in the frame").isEqualTo(true);

            // A tap on the cover asks with the host's modal; answering it makes the page ask for location: the host's
            // consent sheet is outside the frame, on top of it.
            shell.page.mouse().click(frame[0] + 20, frame[1] + 20);
            shell.page.waitForSelector("#capsule-sheets .capsule-sheet-modal");
            assertThat(shell.page.locator("#capsule-sheets .capsule-sheet-modal").textContent()).contains("<img src=x onerror=");
            shell.page.click("#capsule-sheets .capsule-sheet-modal button:last-of-type");
            shell.page.waitForSelector("#capsule-sheets .capsule-sheet-consent");
            assertThat(shell.page.evaluate("() => document.getElementById('capsule-frame').contains(document.querySelector('.capsule-sheet-consent'))"))
                    .as("the real consent sheet is the host's, outside the frame").isEqualTo(false);
            assertThat(shell.page.textContent(".capsule-sheet-consent .capsule-consent-purpose")).isEqualTo(
                    "<img src=x onerror=\"window.__pwned='img'\"> to find you");
            double[] consent = shell.box("#capsule-sheets .capsule-sheet-consent");
            assertThat(shell.page.evaluate("([x, y]) => !!document.elementFromPoint(x, y).closest('.capsule-sheet-consent')",
                    List.of(consent[0] + consent[2] / 2, consent[1] + consent[3] / 2))).as("the host's sheet is on top of the guest").isEqualTo(true);
            shell.screenshot("shell-consent.png");
            shell.page.click(".capsule-sheet-consent .capsule-deny");
            shell.waitForGuestText("located getLocation:fail");
            shell.waitFor("document.body.dataset.capsuleState === 'ended' || [...window.__shadow.querySelectorAll('.payload')]"
                    + ".some((e) => ['attribute', 'class', 'style'].includes(e.textContent.trim()))");
            // The corpus as ids, classes and styles is refused by the host's check of the batch: nothing of it reaches
            // the page and the session ends with a plain message.
            assertThat(shell.page.evaluate("() => document.body.dataset.capsuleState")).isEqualTo("ended");
            assertThat(shell.page.textContent("#capsule-status")).contains("broke a rule of the platform");
            assertThat(shell.page.evaluate("() => window.__shadow.querySelectorAll('.payload').length"))
                    .as("only the text places were rendered").isEqualTo(ShellXssCorpusBrowserTest.payloads().size());

            // Nothing ran, nothing was blocked: no violation in the page, no report at the server.
            assertThat(shell.pwned()).as("window.__pwned").isNull();
            assertThat(shell.cspViolations()).as("securitypolicyviolation events").isEmpty();
            shell.page.waitForTimeout(1_000);
            assertThat(shell.cspReports() - reportsBefore).as("CSP reports the server counted").isZero();
            // The counter does count this page's reports: one violation planted by the test arrives as exactly one report.
            shell.page.evaluate("() => { const probe = new Image(); probe.src = 'https://example.invalid/probe.png'; }");
            shell.page.waitForCondition(() -> shell.cspReports() - reportsBefore >= 1);
            assertThat(shell.cspViolations()).singleElement().satisfies(v -> assertThat(v).startsWith("img-src https://example.invalid/probe.png"));
            assertThat(shell.pwned()).isNull();
        }
    }

    /** Points on a 7 px grid outside the frame whose hit-test stack holds anything inside the frame. */
    static Object guestHitsOutside(ReleasedShell shell, double[] frame) {
        return shell.page.evaluate("""
                ([fx, fy, fw, fh]) => {
                  const frame = document.getElementById('capsule-frame');
                  let hits = 0;
                  for (let y = 1; y < innerHeight; y += 7) {
                    for (let x = 1; x < innerWidth; x += 7) {
                      if (x >= fx - 1 && x <= fx + fw + 1 && y >= fy - 1 && y <= fy + fh + 1) continue;
                      if (document.elementsFromPoint(x, y).some((e) => e !== frame && frame.contains(e))) hits++;
                    }
                  }
                  return hits;
                }
                """, List.of(frame[0], frame[1], frame[2], frame[3]));
    }

    /** The part of {@code box} inside {@code frame} (x, y, width, height; empty when they do not meet). */
    static double[] visible(double[] box, double[] frame) {
        double x = Math.max(box[0], frame[0]);
        double y = Math.max(box[1], frame[1]);
        double right = Math.min(box[0] + box[2], frame[0] + frame[2]);
        double bottom = Math.min(box[1] + box[3], frame[1] + frame[3]);
        return new double[] {x, y, Math.max(0, right - x), Math.max(0, bottom - y)};
    }

    static Clip clip(double[] box) {
        return new Clip(box[0], box[1], box[2], box[3]);
    }

    static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    static int differingPixels(BufferedImage before, BufferedImage after) {
        assertThat(after.getWidth()).isEqualTo(before.getWidth());
        assertThat(after.getHeight()).isEqualTo(before.getHeight());
        int differing = 0;
        for (int y = 0; y < before.getHeight(); y++) {
            for (int x = 0; x < before.getWidth(); x++) {
                differing += before.getRGB(x, y) != after.getRGB(x, y) ? 1 : 0;
            }
        }
        return differing;
    }
}
