package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.view.AssetSource;
import dev.capsule.runtime.view.HtmlRenderer;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewSnapshot;
import dev.capsule.runtime.view.XssCorpusTest;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The XSS corpus through rich-text {@code nodes} end to end: a page's data (set by guest code) holds each hostile string
 * in a node list (as tag name, attribute names' values, text) and in an HTML string; the session renders it to ops, the
 * host's view tree validates them, the HTML renderer writes the page, and jsoup finds no script, no handler attribute,
 * no {@code javascript:} or {@code data:text/html} URL; the hostile text is on the page as text.
 */
class ViewRichTextXssTest {

    /** The corpus as a JavaScript array literal: every character outside printable ASCII escaped. */
    private static String corpusLiteral() {
        StringBuilder out = new StringBuilder("[");
        for (String evil : XssCorpusTest.CORPUS) {
            out.append('"');
            for (char ch : evil.toCharArray()) {
                if (ch == '"' || ch == '\\') {
                    out.append('\\').append(ch);
                } else if (ch < 0x20 || ch > 0x7e || ch == '<' || ch == '>') {
                    out.append(String.format("\\u%04x", (int) ch));
                } else {
                    out.append(ch);
                }
            }
            out.append("\",");
        }
        return out.append(']').toString();
    }

    static CapsulePackage app() {
        return TestApps.app(
                "pages/index/index.wxml", """
                        <view wx:for="{{items}}" class="item">
                          <rich-text class="list" nodes="{{item.list}}"/><rich-text class="html" nodes="{{item.html}}"/>
                          <rich-text class="raw" nodes="{{item.raw}}"/>
                        </view>""",
                "pages/index/index.js", "const CORPUS = " + corpusLiteral() + ";\n" + """
                        function list(evil) {
                          return [
                            { name: 'div', attrs: { class: evil, style: evil, id: evil, onclick: evil, href: evil, src: evil, title: evil },
                              children: [{ type: 'text', text: evil }] },
                            { name: 'img', attrs: { src: evil, style: 'background:' + evil, onerror: evil, alt: evil } },
                            { name: evil, attrs: { style: evil }, children: [{ type: 'text', text: 'inside' }] },
                            { name: 'script', children: [{ type: 'text', text: evil }] },
                            { name: 'a', attrs: { href: evil, onmouseover: evil }, children: [{ type: 'text', text: 'link' }] }
                          ];
                        }
                        function html(evil) {
                          const quoted = evil.split('"').join('&quot;');
                          return '<div style="color:' + quoted + '" onclick="' + quoted + '">' + evil + '</div><img src="' + quoted
                              + '"><a href="' + quoted + '">x</a><script>' + evil + '</script>';
                        }
                        Page({ data: { items: CORPUS.map(evil => ({ list: list(evil), html: html(evil), raw: evil })) } })""");
    }

    /**
     * In process only: a worker's batches reach the same host-side view tree and renderer (ViewSessionTest proves that
     * path), and the corpus-sized first render is past a cold worker JVM's 2 s event budget on a loaded build machine.
     */
    @ParameterizedTest
    @EnumSource(value = Isolation.class, names = "IN_PROCESS")
    void theCorpusThroughRichTextNodesFromPageDataRendersHarmlessly(Isolation tier) {
        try (var run = Tiers.harness(tier).run(app(), "rich-xss-" + tier)) {
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.session().ended()).isFalse();
            ViewSnapshot view = run.session().view().orElseThrow();
            assertThat(view.select(".item")).hasSize(XssCorpusTest.CORPUS.size());
            String page = new HtmlRenderer(HtmlRenderer.WIDTH_DEFAULT).render(view, UrlPolicy.PACKAGE_ONLY, "", AssetSource.NONE);
            XssCorpusTest.assertHarmless(page);
            Document doc = Jsoup.parse(page);
            // The node lists did render (not an empty page passing trivially): their divs, images and links, as inert elements.
            assertThat(doc.select("main div.list > div")).hasSizeGreaterThanOrEqualTo(XssCorpusTest.CORPUS.size());
            assertThat(doc.select("main div.list > a")).hasSize(XssCorpusTest.CORPUS.size());
            assertThat(doc.select("main div.html > div")).hasSizeGreaterThanOrEqualTo(1);
            // Hostile text is on the page as text.
            assertThat(doc.select("main").text()).contains("<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "inside");
        }
    }
}
