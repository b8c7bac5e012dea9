package dev.capsule.runtime.internal.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.json.StrictJson;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.SandboxPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * WXS modules run in a context of their own with WXS's globals only, under a statement budget per
 * call; what the session hears of failures. The same class runs in both tiers (the session's view is
 * wherever the session is); the tier tests drive it through templates.
 */
class WxsContextTest {
    private static final String PAGE = "pages/index/index.wxml";
    private static Engine engine;

    private final List<String> failed = new ArrayList<>();
    private final List<String> overBudget = new ArrayList<>();

    @BeforeAll
    static void start() {
        engine = Engine.newBuilder("js").sandbox(SandboxPolicy.CONSTRAINED).out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream()).option("engine.WarnInterpreterOnly", "false").build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private WxsContext context(Map<String, String> files) {
        return new WxsContext(engine, files, 100_000, new WxsContext.Listener() {
            @Override
            public void failed(String message) {
                failed.add(message);
            }

            @Override
            public void overBudget(String message) {
                overBudget.add(message);
            }
        });
    }

    private static JsonNode json(String text) {
        return StrictJson.mapper().readTree(text);
    }

    private static JsonNode call(WxsContext wxs, String source, String function, String... args) {
        List<JsonNode> values = new ArrayList<>();
        for (String a : args) {
            values.add(json(a));
        }
        return wxs.call(PAGE + "#m", PAGE, source, function, values);
    }

    @Test
    void modulesHaveGetRegExpAndGetDateAndTheirResultsComeBackAsData() {
        String source = """
                module.exports = {
                  swap: function (s) { return s.replace(getRegExp('a', 'g'), 'b'); },
                  year: function (ms) { return getDate(ms).getFullYear(); },
                  both: function (o) { return { keys: Object.keys(o), n: o.n + 1 }; }
                };""";
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, source, "swap", "\"aXa\"")).isEqualTo(json("\"bXb\""));
            assertThat(call(wxs, source, "year", "0")).isEqualTo(json("1970"));
            assertThat(call(wxs, source, "both", "{\"n\":1}")).isEqualTo(json("{\"keys\":[\"n\"],\"n\":2}"));
            assertThat(call(wxs, source, "missing").isMissingNode()).as("no such export: undefined").isTrue();
        }
        assertThat(failed).isEmpty();
    }

    @Test
    void aModuleSeesNoWxNoPageNoDateConstructorAndNoHostGlobals() {
        String source = """
                module.exports.probe = function () {
                  return [typeof wx, typeof getApp, typeof Page, typeof getCurrentPages, typeof Date, typeof Polyglot, typeof Java,
                          typeof console, typeof require, typeof getDate];
                };
                module.exports.codeFromText = function () { try { return String(Function('return 1')()); } catch (e) { return 'refused'; } };""";
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, source, "probe")).isEqualTo(json(
                    "[\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"undefined\",\"function\",\"function\"]"));
            assertThat(call(wxs, source, "codeFromText")).isEqualTo(json("\"refused\""));
        }
    }

    @Test
    void requireLoadsOnlyThePackagesWxsFilesRelativeToTheModule() {
        String source = """
                var util = require('../../utils/util.wxs');
                module.exports.three = function () { return util.two() + 1; };
                module.exports.js = function () { return require('../../utils/util.js'); };
                module.exports.outside = function () { return require('../../../x.wxs'); };""";
        try (WxsContext wxs = context(Map.of("utils/util.wxs", "module.exports = { two: function () { return 2; } };"))) {
            assertThat(call(wxs, source, "three")).isEqualTo(json("3"));
            assertThat(call(wxs, source, "js").isMissingNode()).isTrue();
            assertThat(call(wxs, source, "outside").isMissingNode()).isTrue();
        }
        assertThat(failed).hasSize(2).allSatisfy(f -> assertThat(f).contains("require()"));
    }

    @Test
    void aCallPastItsStatementBudgetIsStoppedAndTheNextCallWorks() {
        String source = "module.exports = { spin: function () { while (true) {} }, ok: function () { return 'ok'; } };";
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, source, "spin").isMissingNode()).isTrue();
            assertThat(overBudget).singleElement().asString().contains("spin()").contains("100000 statements");
            assertThat(call(wxs, source, "ok")).as("a fresh context serves the next call").isEqualTo(json("\"ok\""));
        }
    }

    @Test
    void aThrowingModuleIsAFailureTheTemplateSeesAsUndefined() {
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, "module.exports.boom = function () { throw new Error('bad'); };", "boom").isMissingNode()).isTrue();
        }
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, "this is not javascript", "f").isMissingNode()).isTrue();
        }
        assertThat(failed).hasSize(2);
        assertThat(failed.getFirst()).contains("boom()").contains("bad");
        assertThat(overBudget).isEmpty();
    }

    /** WeChat's {@code module.exports.msg = "hello"}: the data a module exports when it loads, functions left out. */
    @Test
    void exportedDataIsASnapshotTakenWhenTheModuleLoadsWithoutFunctions() {
        String source = """
                module.exports.msg = 'hello';
                module.exports.nested = { n: 1, list: [1, 'two'], fn: function () { return 1; } };
                module.exports.bump = function () { module.exports.msg = 'changed'; return module.exports.msg; };""";
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, source, "bump")).isEqualTo(json("\"changed\""));
            assertThat(wxs.exports(PAGE + "#m", PAGE, source)).isEqualTo(json("{\"msg\":\"hello\",\"nested\":{\"n\":1,\"list\":[1,\"two\"]}}"));
            assertThat(wxs.exports("utils/none.wxs", null, null).isMissingNode()).as("no such module").isTrue();
        }
        assertThat(failed).isEmpty();
    }

    @Test
    void aModuleExportingAFunctionOrNoJsonHasNoExportedData() {
        try (WxsContext wxs = context(Map.of("a.wxs", "module.exports = function () { return 1; };",
                "b.wxs", "var o = {}; o.self = o; module.exports = o;"))) {
            assertThat(wxs.exports("a.wxs", null, null).isMissingNode()).isTrue();
            assertThat(wxs.exports("b.wxs", null, null).isMissingNode()).isTrue();
        }
        assertThat(failed).singleElement().asString().contains("b.wxs exports");
    }

    /** glass-easel calls any function value a member path reaches: {@code m.obj.fn(x)} is the function nested in the exports. */
    @Test
    void aFunctionNestedInTheExportsIsCalledByItsDottedPath() {
        String source = """
                module.exports = { fmt: { up: function (s) { return s.toUpperCase(); } }, n: 1 };""";
        try (WxsContext wxs = context(Map.of())) {
            assertThat(call(wxs, source, "fmt.up", "\"a\"")).isEqualTo(json("\"A\""));
            assertThat(call(wxs, source, "fmt.none", "\"a\"").isMissingNode()).isTrue();
            assertThat(call(wxs, source, "n.toFixed").isMissingNode()).as("only own properties, never the prototype's").isTrue();
        }
        assertThat(failed).isEmpty();
    }
}
