package dev.capsule.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/** A page {@code capsule render} wrote, parsed with jsoup, and the properties every rendered page has. */
record RenderedPage(String html, Document doc) {
    static RenderedPage of(String html) {
        RenderedPage page = new RenderedPage(html, Jsoup.parse(html));
        page.assertInert();
        return page;
    }

    /**
     * Nothing in the document can run or load: no script element, no event-handler attribute, no
     * {@code javascript:} or {@code data:text/html} URL, a CSP that allows only inline styles and data images.
     */
    void assertInert() {
        assertThat(doc.select("script, iframe, object, embed, base, link, form[action]")).as("active elements").isEmpty();
        for (Element e : doc.getAllElements()) {
            for (Attribute a : e.attributes()) {
                assertThat(a.getKey()).as("event handler attribute on %s", e.tagName()).doesNotStartWith("on");
                String value = a.getValue().strip().toLowerCase(java.util.Locale.ROOT);
                assertThat(value).as("%s=%s", a.getKey(), a.getValue()).doesNotStartWith("javascript:").doesNotStartWith("data:text/html")
                        .doesNotStartWith("vbscript:");
            }
        }
        assertThat(doc.select("meta[http-equiv=Content-Security-Policy]").attr("content"))
                .contains("default-src 'none'").contains("img-src data:").doesNotContain("script-src");
    }

    /** The text of the one element a selector names (the test's own selector, over the HTML as a browser sees it). */
    String text(String cssSelector) {
        List<Element> found = doc.select(cssSelector);
        assertThat(found).as("exactly one %s in %s", cssSelector, html).hasSize(1);
        return found.getFirst().text();
    }

    List<String> texts(String cssSelector) {
        return doc.select(cssSelector).eachText();
    }

    boolean has(String cssSelector) {
        return !doc.select(cssSelector).isEmpty();
    }

    Element one(String cssSelector) {
        List<Element> found = doc.select(cssSelector);
        assertThat(found).as("exactly one %s", cssSelector).hasSize(1);
        return found.getFirst();
    }

    /** The source of the image an element id names (the element itself, or the one image inside it). */
    String imageSource(String cssSelector) {
        Element e = one(cssSelector);
        return e.tagName().equals("img") ? e.attr("src") : e.selectFirst("img") == null ? "" : e.selectFirst("img").attr("src");
    }

    /** The document's inline CSS. */
    String css() {
        return String.join("\n", doc.select("style").stream().map(Element::data).toList());
    }
}
