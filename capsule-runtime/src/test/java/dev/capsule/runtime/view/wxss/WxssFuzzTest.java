package dev.capsule.runtime.view.wxss;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random WXSS (grammar-built, then mutated at the character level, plus raw noise and
 * import graphs): only {@link WxssException} ever leaves the compiler, it never hangs, and whatever it
 * accepts is scoped and cannot end a style element ({@link ScopeOracle}). A failure prints its seed and input.
 */
class WxssFuzzTest {
    private static final int CASES_PER_SEED = 400;
    private static final Duration PER_SEED = Duration.ofSeconds(60);

    private static final String[] SELECTORS = {"page", "view", ".a", "#b", "*", ":host", ":host(.x)", ":host(.x .y)", "html", "body", ":root",
        ".a::after", ".b:before", "a:hover", "[data-x]", "[title=\"</style>\"]", ":not(.c)", ":is(.d)", ":where(.e)",
        ".f:has(> .g)", ":nth-child(2n+1)", "._capsule-page", "::selection", ":host-context(.h)", "text", ".i .j", ".k>.l",
        ".m+.n", ".o~.p"};
    private static final String[] PROPERTIES = {"color", "width", "margin", "background", "background-image", "behavior",
        "-moz-binding", "--x", "animation", "animation-name", "font-family", "content", "transform", "height", "src"};
    private static final String[] VALUES = {"red", "10rpx", "-2.5rpx", "calc(100% - 20rpx * 2)", "url(/a.png)",
        "url(../a.png)", "url(https://evil.example/x.png)", "url(\"data:image/png;base64,AAAA\")", "url('javascript:alert(1)')",
        "expression(alert(1))", "var(--x, 4rpx)", "spin 1s infinite", "\"</style><script>\"", "rgba(0,0,0,.5)",
        "translate(10rpx, 2px)", "image-set(\"a.png\" 1x)", "-moz-element(#x)", "0 auto", "1px solid #eee", "\\75 rl(x)",
        "12px/1.5 \"Helvetica\", sans-serif"};
    private static final String[] AT_RULES = {"@media (max-width: 100px) { %s }", "@supports (display: grid) { %s }",
        "@media screen { @media print { %s } }", "@keyframes spin { from { top: 0 } to { top: 10rpx } }",
        "@font-face { font-family: F; src: url(/f.woff2) }", "@font-face { src: url(https://evil.example/f) }",
        "@page { margin: 0 }", "@document url(x) { %s }"};
    /** What may only open a stylesheet. */
    private static final String[] PROLOGUES = {"@charset \"utf-8\";", "@import \"b.wxss\";", "@import url(http://evil.example/x.css);",
        "@namespace x url(y);", ""};
    private static final String NOISE = "{}();:,\"'\\/*@<>!#.%-+[]=~^$|&\n \t\u2028\u0000rpxurl(éあ";

    @ParameterizedTest
    @ValueSource(longs = {1L, 2L, 3L, 20261207L, 0xCAFEL})
    void onlyWxssExceptionEverEscapesAndWhatCompilesIsScoped(long seed) {
        assertTimeoutPreemptively(PER_SEED, () -> {
            Random random = new Random(seed);
            int compiled = 0;
            for (int i = 0; i < CASES_PER_SEED; i++) {
                String input = switch (i % 4) {
                    case 0, 1 -> sheet(random, 3);
                    case 2 -> mutate(random, sheet(random, 2));
                    default -> noise(random);
                };
                compiled += check(seed, i, input, random.nextInt(4) == 0 ? sheet(random, 2) : ".b{top:0}") ? 1 : 0;
            }
            // The generator must mostly produce what compiles, or the scoping check would test nothing.
            assertThat(compiled).isGreaterThan(CASES_PER_SEED / 3);
        });
    }

    /** Whether it compiled (false: refused with a WxssException). */
    private static boolean check(long seed, int index, String page, String imported) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("pages/p/b.wxss", imported.getBytes(StandardCharsets.UTF_8));
        files.put("pages/p/p.wxss", page.getBytes(StandardCharsets.UTF_8));
        files.put("a.png", new byte[] {1});
        files.put("f.woff2", new byte[] {1});
        try {
            StyleSet set = WxssCompiler.compilePackage(files);
            String css = set.sheet("pages/p/p").orElseThrow().css();
            ScopeOracle.assertScoped(css);
            ScopeOracle.assertScoped(set.css(java.util.List.of("pages/p/p")).substring(StyleSet.RPX_DEFINITION.length()));
            assertThat(set.warnings()).allSatisfy(w -> assertThat(w.line()).isPositive());
            return true;
        } catch (WxssException refused) {
            assertThat(refused.getMessage()).doesNotContain("\n");
            return false;
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + " case " + index + " input " + Text.quote(page) + ": " + t, t);
        }
    }

    private static String sheet(Random random, int depth) {
        return pick(random, PROLOGUES) + rules(random, depth);
    }

    private static String rules(Random random, int depth) {
        StringBuilder b = new StringBuilder();
        int rules = 1 + random.nextInt(5);
        for (int r = 0; r < rules; r++) {
            if (depth > 0 && random.nextInt(4) == 0) {
                String at = pick(random, AT_RULES);
                b.append(at.contains("%s") ? at.formatted(rules(random, depth - 1)) : at);
            } else {
                b.append(pick(random, SELECTORS));
                for (int s = random.nextInt(3); s > 0; s--) {
                    b.append(random.nextBoolean() ? " " : ", ").append(pick(random, SELECTORS));
                }
                b.append(" { ");
                for (int d = random.nextInt(4); d >= 0; d--) {
                    b.append(pick(random, PROPERTIES)).append(": ").append(pick(random, VALUES));
                    if (random.nextInt(5) == 0) {
                        b.append(' ').append(pick(random, VALUES));
                    }
                    if (random.nextInt(6) == 0) {
                        b.append(" !important");
                    }
                    b.append("; ");
                }
                b.append("}");
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String mutate(Random random, String text) {
        StringBuilder b = new StringBuilder(text);
        for (int m = 1 + random.nextInt(6); m > 0 && !b.isEmpty(); m--) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(4)) {
                case 0 -> b.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                case 1 -> b.deleteCharAt(at);
                case 2 -> b.insert(at, b.substring(at, Math.min(b.length(), at + random.nextInt(20))));
                default -> b.setLength(at);
            }
        }
        return b.toString();
    }

    private static String noise(Random random) {
        StringBuilder b = new StringBuilder();
        for (int n = random.nextInt(200); n > 0; n--) {
            b.append(NOISE.charAt(random.nextInt(NOISE.length())));
        }
        return b.toString();
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
