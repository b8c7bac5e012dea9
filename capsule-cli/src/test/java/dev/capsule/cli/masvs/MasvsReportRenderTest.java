package dev.capsule.cli.masvs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report's two outputs from its one document: the HTML escapes every text a server or a test report supplies
 * (markup shows as its characters), the PDF is a document PDFBox reads back with every control id and the same facts.
 */
class MasvsReportRenderTest {
    static final String HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" & 'single'";

    @TempDir
    Path dir;

    MasvsReport report(boolean withHostileFact) throws IOException {
        LiveEvidence live = withHostileFact
                ? LiveEvidence.flatten("https://capsule.example:8443", JsonMapper.builder().build().readTree(
                        "{\"tls\":{\"protocol\":\"TLSv1.3\"},\"database\":{\"fsync\":\"on\"},\"note\":" + quote(HOSTILE)
                                + ",\"keys\":[{\"purpose\":\"field\",\"ageDays\":3}],\"chinese\":\"\u4e2d\u6587\"}"))
                : new LiveEvidence.NotFetched("no --url was given, so no server was asked");
        TestResults results = TestResults.read(List.of(TestResultsTest.fixtures(dir)), Optional.empty());
        return new MasvsReport(MasvsCatalogue.load(), results, live, Instant.parse("2026-12-07T20:00:00Z"), Optional.empty());
    }

    @Test
    void theHtmlEscapesEverythingAndRunsNothing() throws IOException {
        String html = HtmlReport.render(report(true).document());
        Document page = Jsoup.parse(html);

        assertThat(page.select("script, img, iframe, object, embed, [onerror], [onload]")).isEmpty();
        assertThat(page.select("td").eachText()).contains(HOSTILE, "TLSv1.3", "on", "3");
        assertThat(html).contains("&lt;script&gt;alert(1)&lt;/script&gt;", "&quot;quoted&quot; &amp; &#39;single&#39;");
        assertThat(page.select("meta[http-equiv=Content-Security-Policy]").attr("content"))
                .isEqualTo(HtmlReport.CONTENT_SECURITY_POLICY);
        assertThat(page.select("h3").eachText()).hasSize(24).allSatisfy(h -> assertThat(h).startsWith("MASVS-"));
    }

    @Test
    void escapeCoversEachSpecialCharacterAndDropsControlCharacters() {
        assertThat(HtmlReport.escape("a<b>c&d\"e'f\u0000g\u001bh\ti\nj")).isEqualTo("a&lt;b&gt;c&amp;d&quot;e&#39;fgh\ti\nj");
        assertThat(HtmlReport.escape("plain text")).isEqualTo("plain text");
    }

    @Test
    void thePdfIsReadableAndNamesEveryControlAndItsEvidence() throws IOException {
        MasvsReport report = report(true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PdfReport.render(report.document(), out);

        String text;
        try (PDDocument pdf = Loader.loadPDF(out.toByteArray())) {
            assertThat(pdf.getNumberOfPages()).isGreaterThan(3);
            assertThat(pdf.getDocumentInformation().getTitle()).isEqualTo(report.document().title());
            text = new PDFTextStripper().getText(pdf);
        }
        String flat = text.replaceAll("\\s+", " ");
        for (String id : MasvsCatalogue.CONTROL_IDS) {
            assertThat(flat).contains(id + ":");
        }
        assertThat(flat).contains("not applicable", "partly", "did not run (no report)", "alert(1)", "TLSv1.3");
        assertThat(flat).as("characters Helvetica cannot draw are question marks").contains("chinese ??");
    }

    @Test
    void withoutAServerTheLiveSectionSaysItWasNotFetched() throws IOException {
        MasvsReport report = report(false);
        Document page = Jsoup.parse(HtmlReport.render(report.document()));

        assertThat(page.text()).contains("Live evidence Not fetched: no --url was given, so no server was asked.");
        assertThat(report.problems()).as("the fixtures name none of the catalogue's tests").isNotEmpty()
                .allSatisfy(p -> assertThat(p).endsWith("which did not run (no report)"));
    }

    private static String quote(String text) {
        return JsonMapper.builder().build().writeValueAsString(text);
    }
}
