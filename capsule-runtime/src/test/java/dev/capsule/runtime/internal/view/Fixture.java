package dev.capsule.runtime.internal.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.AppConfig;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewBatch;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.ViewNode;
import dev.capsule.runtime.view.ViewOp;
import dev.capsule.runtime.view.ViewTree;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxss.StyleSet;
import dev.capsule.runtime.view.wxss.WxssCompiler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A package of templates, an engine over a {@link TestHost}, and one backend {@link ViewTree} per page
 * that every batch is applied to (so every test also proves the ops are valid and consecutive).
 */
final class Fixture {
    final Map<String, byte[]> files = new LinkedHashMap<>();
    final TestHost host = new TestHost();
    final Map<InstanceId, ViewTree> trees = new HashMap<>();
    final List<ViewBatch> batches = new ArrayList<>();
    ViewLimits limits = ViewLimits.defaults();
    ViewEngine engine;
    InstanceId page;

    Fixture file(String path, String text) {
        files.put(path, text.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** A package whose one page is pages/p/p with this template (and the given json, or none). */
    static Fixture page(String wxml) {
        return new Fixture().file("pages/p/p.wxml", wxml);
    }

    Fixture component(String path, String wxml, String json) {
        file(path + ".wxml", wxml);
        file(path + ".json", json);
        return this;
    }

    ViewEngine engine() {
        if (engine == null) {
            files.putIfAbsent("app.json", "{\"pages\":[\"pages/p/p\"]}".getBytes(StandardCharsets.UTF_8));
            try {
                AppConfig app = AppConfig.parse(files.get("app.json"), p -> true);
                engine = new ViewEngine(TemplateSet.compile(files), ComponentIndex.resolve(files, app), WxssCompiler.compilePackage(files), host, limits);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            host.engine = engine;
        }
        return engine;
    }

    /** Opens pages/p/p with this data and renders it. */
    List<ViewOp> open(ObjectNode data) {
        engine();
        page = host.page(data);
        engine.openPage(page, "pages/p/p");
        trees.put(page, new ViewTree(limits, UrlPolicy.PACKAGE_ONLY));
        return flush();
    }

    /** Flushes and applies every batch; the ops of this page's batch (empty when none). */
    List<ViewOp> flush() {
        List<ViewOp> mine = new ArrayList<>();
        for (PageBatch b : engine.flush()) {
            trees.get(b.page()).apply(b.batch());
            batches.add(b.batch());
            if (b.page().equals(page)) {
                mine.addAll(b.batch().ops());
            }
        }
        return mine;
    }

    List<ViewOp> set(String key, JsonNode value) {
        host.setData(page, key, value);
        return flush();
    }

    ViewTree tree() {
        return trees.get(page);
    }

    /** The page as text without node ids: tag#attrs.classes(style)[dataset]{children}, classes without Capsule's scopes. */
    String view() {
        return text(tree().snapshot().root(), false);
    }

    /** The same with Capsule's reserved classes (scope, host and page classes) kept. */
    String viewWithScopes() {
        return text(tree().snapshot().root(), true);
    }

    static String text(ViewNode n, boolean scopes) {
        StringBuilder out = new StringBuilder();
        write(n, scopes, out);
        return out.toString();
    }

    private static void write(ViewNode n, boolean scopes, StringBuilder out) {
        switch (n) {
            case ViewNode.Text t -> out.append('"').append(t.text()).append('"');
            case ViewNode.Element e -> {
                out.append(e.tag());
                e.attributes().forEach((k, v) -> out.append(' ').append(k).append('=').append(v));
                for (String c : e.classes()) {
                    if (scopes || !StyleSet.isReservedClass(c)) {
                        out.append('.').append(c);
                    }
                }
                if (!e.style().isEmpty()) {
                    out.append('(').append(new TreeMap<>(e.style())).append(')');
                }
                if (!e.dataset().isEmpty()) {
                    out.append(e.dataset());
                }
                if (!e.children().isEmpty()) {
                    out.append('{');
                    for (int i = 0; i < e.children().size(); i++) {
                        if (i > 0) {
                            out.append(' ');
                        }
                        write(e.children().get(i), scopes, out);
                    }
                    out.append('}');
                }
            }
        }
    }

    static ObjectNode json(String text) {
        return (ObjectNode) dev.capsule.core.json.StrictJson.mapper().readTree(text);
    }

    static JsonNode value(String text) {
        return dev.capsule.core.json.StrictJson.mapper().readTree(text);
    }

    static void assertNoOps(List<ViewOp> ops) {
        assertThat(ops).isEmpty();
    }
}
