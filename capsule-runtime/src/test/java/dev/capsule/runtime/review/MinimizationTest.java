package dev.capsule.runtime.review;

import static dev.capsule.runtime.review.ReviewFixtures.MANIFEST_NO_PRIVACY;
import static dev.capsule.runtime.review.ReviewFixtures.app;
import static dev.capsule.runtime.review.ReviewFixtures.appWith;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The minimization report comes from the review's own privacy analysis: declared against used, as the findings say. */
class MinimizationTest {
    private static final String TWO_DECLARATIONS = """
            {"id":"com.example.review","version":"1.0.0","name":"Review","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"],"connectSocket":["live.example.com:8443"]},
             "privacy":[{"data":"location","apis":["wx.getLocation"],"purpose":"Show nearby stores"},
                        {"data":"profile","apis":["wx.getUserProfile","wx.getUserInfo"],"purpose":"Greet you by name"}]}""";

    @Test
    void aDeclaredAndUsedApiIsUsedWithItsFirstCallSite() {
        PackageReview.Analysis analysis = PackageReview.analyse(app());
        Minimization report = analysis.minimization().orElseThrow();
        assertThat(report.declared()).singleElement().satisfies(d -> {
            assertThat(d.data()).isEqualTo("location");
            assertThat(d.purpose()).isEqualTo("Show nearby stores");
            assertThat(d.used()).isTrue();
            assertThat(d.apis()).singleElement().satisfies(api -> {
                assertThat(api.api()).isEqualTo("wx.getLocation");
                assertThat(api.use().firstPath()).isEqualTo("pages/index/index.js");
                assertThat(api.use().uses()).isEqualTo(1);
            });
        });
        assertThat(report.undeclared()).isEmpty();
        assertThat(report.minimal()).isTrue();
        assertThat(analysis.report().findings()).isEmpty();
    }

    @Test
    void unusedAndUndeclaredApisAgreeWithTheFindings() {
        String page = "Page({\n  onLoad() {\n    wx.getUserProfile({});\n    wx.getUserInfo({});\n  }\n});\n";
        PackageReview.Analysis analysis = PackageReview.analyse(appWith(TWO_DECLARATIONS, "pages/index/index.js", page));
        Minimization report = analysis.minimization().orElseThrow();
        assertThat(report.declared()).hasSize(2);
        assertThat(report.declared().get(0).used()).as("location is declared, never used").isFalse();
        assertThat(report.declared().get(0).apis().getFirst().use()).isNull();
        assertThat(report.declared().get(1).apis()).allSatisfy(api -> assertThat(api.used()).isTrue());
        assertThat(report.minimal()).isFalse();
        assertThat(analysis.report().findings()).extracting(Finding::rule).containsExactly("privacy.unused");

        PackageReview.Analysis undeclared = PackageReview.analyse(appWith(MANIFEST_NO_PRIVACY, "pages/index/index.js", page));
        Minimization missing = undeclared.minimization().orElseThrow();
        assertThat(missing.declared()).isEmpty();
        assertThat(missing.undeclared()).extracting(Minimization.Used::api).containsExactly("wx.getUserInfo", "wx.getUserProfile");
        assertThat(missing.undeclared().get(1).firstLine()).isEqualTo(3);
        assertThat(undeclared.report().findings()).extracting(Finding::rule).containsOnly("privacy.undeclared").hasSize(2);
    }

    @Test
    void theJsonIsStableAndCarriesDeveloperTextAsData() {
        String manifest = TWO_DECLARATIONS.replace("Greet you by name", "<script>alert(1)</script>");
        byte[] first = PackageReview.analyse(appWith(manifest, "pages/index/index.js", "Page({});")).minimization().orElseThrow().toJson();
        byte[] again = PackageReview.analyse(appWith(manifest, "pages/index/index.js", "Page({});")).minimization().orElseThrow().toJson();
        assertThat(first).isEqualTo(again);
        String text = new String(first, StandardCharsets.UTF_8);
        assertThat(text).startsWith("{\"declared\":[{\"apis\":[{\"api\":\"wx.getLocation\",\"used\":false}]");
        JsonNode json = StrictJson.mapper().readTree(first);
        assertThat(json.get("format").asString()).isEqualTo(Minimization.FORMAT);
        assertThat(json.get("minimal").asBoolean()).isFalse();
        assertThat(json.get("declared").get(1).get("purpose").asString()).isEqualTo("<script>alert(1)</script>");
    }
}
