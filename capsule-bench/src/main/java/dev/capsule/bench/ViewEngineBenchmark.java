package dev.capsule.bench;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.manifest.AppConfig;
import dev.capsule.runtime.internal.view.ComponentHost;
import dev.capsule.runtime.internal.view.ComponentInfo;
import dev.capsule.runtime.internal.view.InstanceId;
import dev.capsule.runtime.internal.view.Lifetime;
import dev.capsule.runtime.internal.view.PageBatch;
import dev.capsule.runtime.internal.view.RelationChange;
import dev.capsule.runtime.internal.view.ViewEngine;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxml.WxsCaller;
import dev.capsule.runtime.view.wxss.WxssCompiler;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The view engine (docs/benchmarks.md, docs/view.md "Rendering and updates"): the first render of a
 * 1,000-node page (500 keyed rows, each an element and its text) to its ops, and a {@code setData} of
 * one item in a 1,000-item keyed {@code wx:for}: re-render, keyed diff and the one op it produces
 * (goal: under 1 ms). Templates are compiled in setup; no guest code runs (an in-memory page host).
 *
 * <p>Run: {@code java -jar capsule-bench/target/benchmarks.jar ViewEngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ViewEngineBenchmark {
    private static final String ROUTE = "pages/list/list";
    private static final String TEMPLATE = "<view class=\"list\"><view wx:for=\"{{items}}\" wx:key=\"id\" class=\"row {{item.done ? 'done' : ''}}\" "
            + "data-id=\"{{item.id}}\" bindtap=\"onTap\">{{item.label}}</view></view>";

    private PageHost host;
    private ViewEngine firstRenderEngine;
    private ViewEngine updateEngine;
    private ObjectNode rows500;
    private String anchorHtml;
    private InstanceId updated;
    private int nextPage = 1_000_000;
    private int flip;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Map<String, byte[]> files = Map.of(
                "app.json", ("{\"pages\":[\"" + ROUTE + "\"]}").getBytes(StandardCharsets.UTF_8),
                ROUTE + ".wxml", TEMPLATE.getBytes(StandardCharsets.UTF_8),
                ROUTE + ".wxss", ".row { padding: 10rpx } .done { color: gray }".getBytes(StandardCharsets.UTF_8));
        AppConfig app = AppConfig.parse(files.get("app.json"), p -> true);
        TemplateSet templates = TemplateSet.compile(files);
        ComponentIndex index = ComponentIndex.resolve(files, app);
        host = new PageHost();
        firstRenderEngine = new ViewEngine(templates, index, WxssCompiler.compilePackage(files), host, ViewLimits.defaults());
        updateEngine = new ViewEngine(templates, index, WxssCompiler.compilePackage(files), host, ViewLimits.defaults());
        rows500 = rows(500);
        StringBuilder html = new StringBuilder("<div class=\"list\">");
        for (int i = 0; i < 500; i++) {
            html.append("<div class=\"row").append(i % 3 == 0 ? " done" : "").append("\" data-id=\"").append(i).append("\">row ")
                    .append(i).append("</div>");
        }
        anchorHtml = html.append("</div>").toString();
        updated = new InstanceId(1);
        host.data.put(updated, rows(1_000));
        updateEngine.openPage(updated, ROUTE);
        updateEngine.flush();
    }

    private static ObjectNode rows(int n) {
        ObjectNode data = StrictJson.mapper().createObjectNode();
        ArrayNode items = data.putArray("items");
        for (int i = 0; i < n; i++) {
            items.addObject().put("id", i).put("label", "row " + i).put("done", i % 3 == 0);
        }
        return data;
    }

    /** Opens a page of 1,000 nodes, renders it to its first batch, closes it. */
    @Benchmark
    public List<PageBatch> firstRenderOf1000Nodes() {
        InstanceId page = new InstanceId(nextPage++);
        host.data.put(page, rows500);
        firstRenderEngine.openPage(page, ROUTE);
        List<PageBatch> batches = firstRenderEngine.flush();
        firstRenderEngine.closePage(page);
        host.data.remove(page);
        return batches;
    }

    /**
     * The anchor, in the same run: jsoup (a well-kept HTML library) parsing the same 1,000-node list as
     * HTML and writing it out again — the cost of building and serializing a tree of this size with a
     * field library, to read the engine's first render against.
     */
    @Benchmark
    public String anchorJsoupParseAndSerialize1000Nodes() {
        return Jsoup.parseBodyFragment(anchorHtml).body().html();
    }

    /** One item's label changes in a 1,000-item list: re-render, diff, one SetText. */
    @Benchmark
    public List<PageBatch> setDataOfOneItemIn1000() {
        // A new data tree, as setData hands over: the other 999 items are the same values (shared here, as
        // the engine never mutates data; a parsed tree would be equal instead).
        ObjectNode before = (ObjectNode) host.data.get(updated);
        ArrayNode items = before.arrayNode();
        before.get("items").forEach(items::add);
        ObjectNode item = ((ObjectNode) items.get(500)).deepCopy();
        item.put("label", (flip++ & 1) == 0 ? "changed" : "row 500");
        items.set(500, item);
        ObjectNode data = before.objectNode();
        data.set("items", items);
        host.data.put(updated, data);
        updateEngine.dataChanged(updated, data);
        List<PageBatch> batches = updateEngine.flush();
        if (batches.size() != 1 || batches.getFirst().batch().ops().size() != 1) {
            throw new IllegalStateException("one changed item must be one op, got " + batches);
        }
        return batches;
    }

    /** Pages only: the benchmark's template uses no custom components and no WXS. */
    static final class PageHost implements ComponentHost {
        final Map<InstanceId, JsonNode> data = new HashMap<>();

        @Override
        public ComponentInfo describe(String componentPath) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public InstanceId create(String componentPath, InstanceId owner, ObjectNode initialProperties, String elementId, ObjectNode dataset) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public void hostAttributes(InstanceId instance, String elementId, ObjectNode dataset) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public JsonNode data(InstanceId instance) {
            return data.get(instance);
        }

        @Override
        public void setProperties(InstanceId instance, ObjectNode changes) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public void lifetime(InstanceId instance, Lifetime lifetime) {
        }

        @Override
        public void pageLifetime(InstanceId instance, String name, JsonNode arg) {
        }

        @Override
        public boolean handle(InstanceId instance, String method, ObjectNode event) {
            return false;
        }

        @Override
        public void relation(InstanceId instance, InstanceId other, String key, RelationChange change) {
        }

        @Override
        public void destroy(InstanceId instance) {
        }

        @Override
        public WxsCaller wxs() {
            return (module, function, args) -> MissingNode.getInstance();
        }
    }
}
