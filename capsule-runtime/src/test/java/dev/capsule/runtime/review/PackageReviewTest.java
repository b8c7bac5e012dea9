package dev.capsule.runtime.review;

import static dev.capsule.runtime.review.ReviewFixtures.MANIFEST;
import static dev.capsule.runtime.review.ReviewFixtures.MANIFEST_NO_PRIVACY;
import static dev.capsule.runtime.review.ReviewFixtures.app;
import static dev.capsule.runtime.review.ReviewFixtures.appWith;
import static dev.capsule.runtime.review.ReviewFixtures.randomBase64;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each rule finds its planted case at the right file and line, and stays silent on the near miss
 * next to it (the same file with the harmless form): a rule that fires on everything or nothing fails.
 */
class PackageReviewTest {
    private static final String FILE = "lib/planted.js";
    /** Planted code starts on line 3 of {@link #FILE}. */
    private static final String PREFIX = "// fixture\nvar before = 1;\n";
    private static final int LINE = 3;

    /** A rule, its planted code (at {@link #LINE}) and the near miss, each with its capsule.json. */
    record Case(String rule, String manifest, String planted, String nearManifest, String nearMiss) {
        Case(String rule, String planted, String nearMiss) {
            this(rule, MANIFEST, planted, MANIFEST, nearMiss);
        }

        @Override
        public String toString() {
            return rule;
        }
    }

    static Stream<Case> cases() {
        String table = "var _0x = [" + String.join(", ", Stream.iterate(1L, i -> i + 1).limit(20)
                .map(i -> "'" + randomBase64(i, 12) + "'").toList()) + "];";
        String words = "var names = [" + String.join(", ", List.of("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
                "hotel", "india", "juliett", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango")
                .stream().map(w -> "'" + w + "'").toList()) + "];";
        String payload = randomBase64(7, 400);
        return Stream.of(
                new Case("secret.private-key",
                        "var pem = '-----BEGIN PRIVATE KEY-----\\nMC4CAQAwBQYDK2VwBCIEIA==\\n-----END PRIVATE KEY-----';",
                        "var pem = '-----BEGIN PUBLIC KEY-----\\nMCowBQYDK2VwAyEA==\\n-----END PUBLIC KEY-----';"),
                new Case("secret.aws-access-key", "var id = 'AKIAIOSFODNN7EXAMPLE';", "var id = 'AKIAIOSFODNN7';"),
                new Case("secret.github-token", "var t = 'ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';", "var t = 'ghp_short';"),
                new Case("secret.slack-token", "var t = 'xoxb-1234567890-abcdefghij';", "var t = 'xoxb-12';"),
                new Case("secret.stripe-key", "var k = 'sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc';", "var k = 'pk_live_4eC39HqLyjWDarjtT1zdp7dc';"),
                new Case("secret.jwt",
                        "var jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';",
                        "var jwt = 'eyJhbGciOiJIUzI1NiJ9';"),
                new Case("secret.high-entropy", "var config = { apiSecret: 'q8ZfK2mW9xPv4LtR7nYc' };",
                        "var config = { apiSecret: 'todo-items-cache', label: 'q8ZfK2mW9xPv4LtR7nYc' };"),
                new Case("js.eval", "var r = eval('1 + 1');", "var r = calc.eval('1 + 1'), s = 'eval(x)';"),
                new Case("js.function-constructor", "var f = new Function('return this');", "function F() {} var f = new F();"),
                new Case("js.function-constructor", "var f = Function('a', 'return a');", "var f = function (a) { return a; };"),
                new Case("js.function-constructor", "var f = (function () {}).constructor('return this');", "var f = (function () {}).constructor;"),
                new Case("js.dynamic-import", "var m = import('./other.js');", "var m = 'import(\"./other.js\")';"),
                new Case("js.string-timer", "setTimeout('tick()', 10);", "setTimeout(function () { tick(); }, 10);"),
                new Case("js.string-timer", "setInterval('ti' + 'ck()', 10);", "setInterval(tick, 10);"),
                new Case("obfuscation.long-line", "var n = 0" + " + 1".repeat(300) + ";", "var n = 0" + " + 1".repeat(200) + ";"),
                new Case("obfuscation.string-table", table, words),
                new Case("obfuscation.encoded-payload", "var p = '" + payload + "';", "var p = 'data:image/png;base64," + payload + "';"),
                new Case("network.host-not-allowed", "wx.request({ url: 'https://evil.example.net/collect' });",
                        "wx.request({ url: 'https://api.example.com/collect' });"),
                new Case("network.host-not-allowed", "var ws = 'wss://live.example.com/feed';", "var ws = 'wss://live.example.com:8443/feed';"),
                new Case("network.insecure-url", "var u = 'http://api.example.com/x';", "var u = 'https://api.example.com/x';"),
                new Case("wx.unknown-api", "wx.getBatteryInfo({});", "wx.getSystemInfoSync();"),
                new Case("wx.unknown-api", "wx['getClipboardData']({});", "wx['showToast']({ title: 'x' });"),
                new Case("privacy.undeclared", MANIFEST_NO_PRIVACY, "wx.getLocation({ success: function () {} });",
                        MANIFEST_NO_PRIVACY, "wx.getSystemInfo({ success: function () {} });"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRuleFindsItsPlantedCaseAtItsFileAndLine(Case c) {
        ReviewReport report = PackageReview.review(appWith(c.manifest(), FILE, PREFIX + c.planted() + "\n"));
        assertThat(report.findings()).as("findings").filteredOn(f -> f.rule().equals(c.rule()) && FILE.equals(f.path()))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.path()).isEqualTo(FILE);
                    assertThat(f.line()).isEqualTo(LINE);
                    assertThat(f.severity()).isEqualTo(rule(c.rule()).severity());
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachRuleIsSilentOnItsNearMiss(Case c) {
        ReviewReport report = PackageReview.review(appWith(c.nearManifest(), FILE, PREFIX + c.nearMiss() + "\n"));
        assertThat(report.findings()).filteredOn(f -> f.path() != null && f.path().equals(FILE)).isEmpty();
    }

    @Test
    void theCleanAppHasNoFindingAtAll() {
        assertThat(PackageReview.review(app()).findings()).isEmpty();
    }

    @Test
    void credentialsInOtherTextFilesAreFoundByLineAndBinaryFilesAreSkipped() {
        String config = "{\n  \"name\": \"demo\",\n  \"token\": \"ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8\"\n}\n";
        ReviewReport report = PackageReview.review(app("config/settings.json", config,
                "notes/key.txt", "public key:\n-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n-----END PUBLIC KEY-----\n",
                "assets/blob.bin", "\u0000-----BEGIN PRIVATE KEY-----\n"));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("secret.github-token");
            assertThat(f.path()).isEqualTo("config/settings.json");
            assertThat(f.line()).isEqualTo(3);
        });
        ReviewReport key = PackageReview.review(app("notes/key.txt", "private key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbg==\n"));
        assertThat(key.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("secret.private-key");
            assertThat(f.line()).isEqualTo(2);
        });
    }

    @Test
    void theShippedExamplesHaveNoFindings() throws Exception {
        for (String example : List.of("todo", "weather")) {
            assertThat(PackageReview.reviewDirectory(dev.capsule.core.testing.RepoPaths.example(example)).findings()).as(example).isEmpty();
        }
    }

    @Test
    void anUndeclaredGetLocationIsFoundAtEachCall() {
        String page = "Page({\n  onLoad() {\n    wx.getLocation({});\n  }\n});\n";
        ReviewReport report = PackageReview.review(appWith(MANIFEST_NO_PRIVACY, "pages/index/index.js", page));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("privacy.undeclared");
            assertThat(f.path()).isEqualTo("pages/index/index.js");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.explanation()).contains("wx.getLocation");
        });
    }

    @Test
    void anApiAbsentByDecisionIsFoundWithTheRegistrysReason() {
        String page = "Page({\n  onLoad() {\n    wx.cloud.callFunction({ name: 'x' });\n    wx.getBatteryInfo({});\n  }\n});\n";
        ReviewReport report = PackageReview.review(appWith(MANIFEST_NO_PRIVACY, "pages/index/index.js", page));
        assertThat(report.findings()).extracting(Finding::rule).containsOnly("wx.unknown-api");
        assertThat(report.findings()).anySatisfy(f -> {
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.explanation()).startsWith("wx.cloud is absent from Capsule by decision").contains("Tencent's hosted backend");
        });
        // An API nobody decided about gets the plain wording, not a made-up reason.
        assertThat(report.findings()).anySatisfy(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.explanation()).isEqualTo("wx.getBatteryInfo is not an API Capsule provides (it is undefined at run time)");
        });
    }

    @Test
    void aViewLayerApiIsNotAnUnknownApi() {
        String page = "Page({ onLoad() { wx.createSelectorQuery(); wx.stopPullDownRefresh(); } });";
        assertThat(PackageReview.review(appWith(MANIFEST_NO_PRIVACY, "pages/index/index.js", page)).findings()).isEmpty();
    }

    @Test
    void aDeclaredButUnusedPersonalDataApiIsFlaggedAtItsDeclaration() {
        ReviewReport report = PackageReview.review(app("pages/index/index.js", "Page({});"));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("privacy.unused");
            assertThat(f.severity()).isEqualTo(Severity.LOW);
            assertThat(f.path()).isEqualTo("capsule.json");
            assertThat(f.line()).isEqualTo(3);
        });
    }

    @Test
    void aFileTheParserRefusesIsAFindingNotAFailure() {
        ReviewReport report = PackageReview.review(app(FILE, PREFIX + "var = ;\n"));
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("js.unparsable");
            assertThat(f.line()).isEqualTo(LINE);
        });
    }

    @Test
    void aRuleRepeatedInOneFileIsListedUpToTheBoundThenCounted() {
        String many = "var r = 0;\n".repeat(2) + "r += eval('1');\n".repeat(Findings.PER_FILE_RULE_MAX + 7);
        ReviewReport report = PackageReview.review(app(FILE, many));
        assertThat(report.findings()).filteredOn(f -> f.rule().equals("js.eval")).hasSize(Findings.PER_FILE_RULE_MAX);
        assertThat(report.findings()).filteredOn(f -> f.rule().equals("review.repeated")).singleElement()
                .satisfies(f -> assertThat(f.explanation()).startsWith("7 more js.eval findings"));
    }

    @Test
    void aPlantedPrivateKeyBlocks() {
        ReviewReport report = PackageReview.review(app(FILE, "var k = `-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI\n-----END EC PRIVATE KEY-----`;\n"));
        assertThat(report.blocking()).isTrue();
        assertThat(PackageReview.review(app()).blocking()).isFalse();
    }

    @Test
    void aDirectoryThatFailsThePackChecksGetsOneCriticalFindingNamingTheReason(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("capsule.json"), "{\"id\":\"Not Reverse DNS\"}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[]}", StandardCharsets.UTF_8);
        ReviewReport report = PackageReview.reviewDirectory(dir);
        assertThat(report.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("package.invalid-manifest");
            assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
        });
        assertThat(report.blocking()).isTrue();
    }

    @Test
    void aValidDirectoryIsReviewedLikeItsPackage(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("capsule.json"), MANIFEST, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("app.json"), "{\"pages\":[\"pages/index/index\"]}", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("app.js"), "App({}); eval('x');", StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("pages/index"));
        Files.writeString(dir.resolve("pages/index/index.js"), ReviewFixtures.CLEAN_PAGE, StandardCharsets.UTF_8);
        assertThat(PackageReview.reviewDirectory(dir).findings()).extracting(Finding::rule).containsExactly("js.eval");
    }

    @Test
    void aCorruptArchiveGetsOneCriticalFinding() {
        ReviewReport report = PackageReview.review("not a zip".getBytes(StandardCharsets.UTF_8));
        assertThat(report.findings()).singleElement().satisfies(f -> assertThat(f.rule()).startsWith("package."));
        assertThat(report.blocking()).isTrue();
    }

    private static Rule rule(String id) {
        return Stream.of(Rule.values()).filter(r -> r.id().equals(id)).findFirst().orElseThrow();
    }
}
