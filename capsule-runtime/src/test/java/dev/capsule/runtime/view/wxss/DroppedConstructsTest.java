package dev.capsule.runtime.view.wxss;

import static dev.capsule.runtime.view.wxss.Sheets.S;
import static dev.capsule.runtime.view.wxss.Sheets.compile;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every construct the compiler drops: the rest of the sheet survives, the construct is absent from
 * the output, and a warning names the file, the line and why.
 */
class DroppedConstructsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            remote url                | .x { background: url(https://evil.example/a.png) }      | evil.example   | not on the image host allowlist
            http url                  | .x { background: url(http://img.example/a.png) }        | img.example    | only package assets and https
            protocol-relative url     | .x { background: url(//evil.example/a.png) }            | evil.example   | only package assets
            javascript url            | .x { background: url("javascript:alert(1)") }           | javascript     | only package assets
            data html url             | .x { background: url("data:text/html,<script>") }       | data:text      | not an inline base64
            data svg url              | .x { background: url("data:image/svg+xml;base64,PHN2Zz4=") } | svg       | not an inline base64
            url leaving package       | .x { background: url(../../../../etc/passwd.png) }      | passwd         | leaves the package
            missing asset             | .x { background: url(/nope.png) }                       | nope.png       | not in the package
            non-asset file            | .x { background: url(/app.js) }                         | app.js         | not an image or font
            image-set remote          | .x { background: image-set("https://evil.example/a.png" 1x) } | evil.example | allowlist
            url in custom property    | .x { --bg: url(https://evil.example/a.png) }            | evil.example   | allowlist
            expression                | .x { width: expression(alert(1)) }                      | alert          | expression() is not allowed
            behavior                  | .x { behavior: url(/a.htc) }                            | a.htc          | can load code
            ms behavior               | .x { -ms-behavior: url(/a.htc) }                        | a.htc          | can load code
            moz binding               | .x { -moz-binding: url(/x.xml) }                        | x.xml          | can load code
            moz element               | .x { background: -moz-element(#secret) }                | secret         | -moz-element() is not allowed
            escaped url function      | .x { background: \\75 rl("https://evil.example/a.png") } | evil.example   | not a plain CSS name
            import url                | @import url("https://evil.example/x.css"); .y { top: 0 } | evil.example  | only package stylesheets
            import http               | @import "http://evil.example/x.css"; .y { top: 0 }      | evil.example   | only package stylesheets
            remote font face          | @font-face { font-family: F; src: url(https://evil.example/f.woff) } | evil.example | outside the package
            charset                   | @charset "utf-8"; .y { top: 0 }                         | utf-8          | @charset
            namespace                 | @namespace svg url(http://www.w3.org/2000/svg); .y { top: 0 } | w3.org   | @namespace
            page rule                 | @page { margin: 1cm }                                   | 1cm            | @page
            unknown at-rule           | @document url(http://evil.example) { .q { color: red } } | evil.example  | @document
            host-context              | :host-context(.dark) .x { color: red }                  | dark           | :host-context
            reserved class            | ._capsule-page { color: red }                           | color:red      | reserved for Capsule
            src function              | .x { background: src("https://evil.example/a.png") }    | evil.example   | allowlist
            """)
    void isDroppedWithAWarning(String name, String wxss, String absent, String why) throws Exception {
        StyleSet set = compile("pages/p/p.wxss", "\n" + wxss + "\n.keep { top: 0 }", "a.htc", "x", "x.xml", "x");
        String css = set.sheet("pages/p/p").orElseThrow().css();
        assertThat(css).doesNotContain(absent).endsWith(".keep." + S + "{top:0}");
        List<StyleWarning> warnings = set.warnings();
        assertThat(warnings).hasSize(1);
        assertThat(warnings.getFirst().path()).isEqualTo("pages/p/p.wxss");
        assertThat(warnings.getFirst().line()).isEqualTo(2);
        assertThat(warnings.getFirst().message()).contains(why);
        ScopeOracle.assertScoped(css);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            package image      | .x { background: url(/a.png) }
            https allowlisted  | .x { background: url(https://img.example.com/a.png) }
            base64 png         | .x { background: url(data:image/png;base64,AAAA) }
            package font       | @font-face { font-family: F; src: url(/f.woff2) }
            """)
    void theAllowedCounterpartsAreNotDropped(String name, String wxss) throws Exception {
        StyleSet set = WxssCompiler.compilePackage(Sheets.files("pages/p/p.wxss", wxss, "a.png", "x", "f.woff2", "x"),
                java.util.Set.of(dev.capsule.core.manifest.HostName.parse("img.example.com")));
        assertThat(set.warnings()).isEmpty();
        assertThat(set.sheet("pages/p/p").orElseThrow().css()).contains("url(");
    }
}
