package dev.capsule.bench;

import dev.capsule.core.manifest.AppConfig;
import dev.capsule.core.manifest.ManifestException;
import dev.capsule.runtime.internal.view.ComponentHost;
import dev.capsule.runtime.internal.view.ComponentInfo;
import dev.capsule.runtime.internal.view.InstanceId;
import dev.capsule.runtime.internal.view.Lifetime;
import dev.capsule.runtime.internal.view.PageBatch;
import dev.capsule.runtime.internal.view.RelationChange;
import dev.capsule.runtime.internal.view.ViewEngine;
import dev.capsule.runtime.view.AssetSource;
import dev.capsule.runtime.view.HtmlRenderer;
import dev.capsule.runtime.view.UrlPolicy;
import dev.capsule.runtime.view.ViewLimits;
import dev.capsule.runtime.view.ViewTree;
import dev.capsule.runtime.view.wxml.ComponentIndex;
import dev.capsule.runtime.view.wxml.TemplateSet;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxml.WxsCaller;
import dev.capsule.runtime.view.wxss.StyleSet;
import dev.capsule.runtime.view.wxss.WxssCompiler;
import dev.capsule.runtime.view.wxss.WxssException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The view engine on a list page (docs/benchmarks.md, "View: first render and a one-item setData"): a {@code wx:for}
 * of {@link #items} rows, each a {@code view} with a class, a dataset entry and a {@code text} (3 view nodes a row).
 *
 * <ul>
 * <li>{@link #firstRender}: a page opened and flushed (template instantiation, the whole batch of ops) and the batch
 * applied to a host-side {@link ViewTree} (every op validated), as a session does for a new page.
 * <li>{@link #firstRenderToHtml}: the same, then the tree rendered to the HTML document {@code capsule render} writes.
 * <li>{@link #setDataOneItem}: one row's text changed ({@code setData({'items[N].name': …})}), re-rendered with the
 * keyed diff, the batch (one {@code setText}) applied: the goal is under 1 ms with 1,000 rows.
 * </ul>
 *
 * <p>The guest side is a page whose data is held here ({@link PageHost}): the engine is measured, not GraalJS (the
 * runtime benchmarks measure the guest's setData). Run: {@code java -jar capsule-bench/target/benchmarks.jar ViewEngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ViewEngineBenchmark {
    static final String ROUTE = "pages/list/list";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String WXML = """
            <view class="list">
              <view wx:for="{{items}}" wx:key="id" class="row {{item.done ? 'done' : ''}}" data-id="{{item.id}}" bindtap="onTap">
                <text class="name">{{item.name}}</text>
              </view>
            </view>
            """;
    private static final String WXSS = ".row { padding: 16rpx 24rpx; } .row.done .name { color: #999; }";

    /** Rows of the list: 333 make a page of about 1,000 view nodes; 1,000 rows is the one-item setData case. */
    @Param({"333", "1000"})
    public int items;

    private TemplateSet templates;
    private ComponentIndex components;
    private StyleSet styles;
    private String css;
    private ObjectNode data;

    // the page kept open for setDataOneItem
    private PageHost host;
    private ViewEngine engine;
    private ViewTree tree;
    private int flips;

    @Setup(Level.Trial)
    public void setUp() throws WxmlException, WxssException, ManifestException {
        Map<String, byte[]> files = Map.of(
                "app.json", ("{\"pages\":[\"" + ROUTE + "\"]}").getBytes(StandardCharsets.UTF_8),
                ROUTE + ".wxml", WXML.getBytes(StandardCharsets.UTF_8),
                ROUTE + ".wxss", WXSS.getBytes(StandardCharsets.UTF_8),
                "app.js", "App({})".getBytes(StandardCharsets.UTF_8),
                ROUTE + ".js", "Page({})".getBytes(StandardCharsets.UTF_8));
        templates = TemplateSet.compile(files);
        components = ComponentIndex.resolve(files, AppConfig.parse(files.get("app.json"), files::containsKey));
        styles = WxssCompiler.compilePackage(files);
        css = styles.css(List.of(ROUTE));
        data = NODES.objectNode();
        ArrayNode rows = data.putArray("items");
        for (int i = 0; i < items; i++) {
            rows.addObject().put("id", "r" + i).put("name", "Row number " + i).put("done", i % 3 == 0);
        }
        host = new PageHost(data.deepCopy());
        engine = new ViewEngine(templates, components, styles, host, ViewLimits.defaults());
        tree = new ViewTree(ViewLimits.defaults(), UrlPolicy.PACKAGE_ONLY);
        engine.openPage(PageHost.PAGE, ROUTE);
        apply(engine.flush(), tree);
    }

    @Benchmark
    public ViewTree firstRender() {
        return open();
    }

    @Benchmark
    public String firstRenderToHtml() {
        return HtmlRenderer.render(open(), css, AssetSource.NONE);
    }

    @Benchmark
    public ViewTree setDataOneItem() {
        int row = items / 2;
        // changed in place: the engine diffs what it rendered last time, not the old data, so no copy is measured
        ((ObjectNode) host.data.get("items").get(row)).put("name", "Row number " + row + ((flips++ & 1) == 0 ? " (edited)" : ""));
        engine.dataChanged(PageHost.PAGE, host.data);
        List<PageBatch> batches = engine.flush();
        if (batches.size() != 1 || batches.getFirst().batch().ops().size() != 1) {
            throw new IllegalStateException("one row's text is one op, got " + batches);
        }
        apply(batches, tree);
        return tree;
    }

    private ViewTree open() {
        var fresh = new ViewEngine(templates, components, styles, new PageHost(data), ViewLimits.defaults());
        var view = new ViewTree(ViewLimits.defaults(), UrlPolicy.PACKAGE_ONLY);
        fresh.openPage(PageHost.PAGE, ROUTE);
        apply(fresh.flush(), view);
        return view;
    }

    private static void apply(List<PageBatch> batches, ViewTree tree) {
        batches.forEach(b -> tree.apply(b.batch()));
    }

    /** One page and no components: its data, and nothing else a page without custom components asks for. */
    static final class PageHost implements ComponentHost {
        static final InstanceId PAGE = new InstanceId(1);
        JsonNode data;

        PageHost(JsonNode data) {
            this.data = data;
        }

        @Override
        public JsonNode data(InstanceId instance) {
            return data;
        }

        @Override
        public ComponentInfo describe(String componentPath) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public InstanceId create(String componentPath, InstanceId owner, ObjectNode initialProperties) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public void setProperties(InstanceId instance, ObjectNode changes) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public void lifetime(InstanceId instance, Lifetime lifetime) {
            // page lifetimes are the session's business; the engine only reports them
        }

        @Override
        public void pageLifetime(InstanceId instance, String name, JsonNode arg) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public boolean handle(InstanceId instance, String method, ObjectNode event) {
            return false;
        }

        @Override
        public void relation(InstanceId instance, InstanceId other, String key, RelationChange change) {
            throw new IllegalStateException("the benchmark page uses no components");
        }

        @Override
        public void destroy(InstanceId instance) {
            // nothing is held per instance here
        }

        @Override
        public WxsCaller wxs() {
            return (module, function, args) -> {
                throw new IllegalStateException("the benchmark page has no WXS");
            };
        }
    }
}
