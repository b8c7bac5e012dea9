package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code Component()} and {@code Behavior()} as WeChat defines them, on pages built with
 * {@code Component()} (no template needed: the framework layer alone), the same in both tiers:
 * lifetimes and their order, properties with WeChat's type coercion, data observers by path,
 * behaviors merged in order (the built-in ones too), and definitions that are refused.
 */
class ComponentDefinitionTest {
    private static final String ROUTE = "pages/index/index";
    private static final String LOG = "const log = (...a) => console.log(a.map(x => typeof x === 'string' ? x : JSON.stringify(x)).join(' '));\n";

    private static Harness.Run run(Isolation tier, String user, String query, String script) {
        LaunchOptions launch = new LaunchOptions(ROUTE, query == null ? java.util.Map.of() : parseQuery(query), LaunchOptions.DEFAULT.scene());
        return Tiers.harness(tier).run(TestApps.page(LOG + script), user + "-" + tier, launch);
    }

    private static java.util.Map<String, String> parseQuery(String query) {
        var map = new java.util.TreeMap<String, String>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aComponentPageRunsItsLifetimesAroundThePageHooksInWeChatsOrder(Isolation tier) {
        String script = """
                Component({
                  created() { log('legacy created (overridden by lifetimes)'); },
                  lifetimes: {
                    created() { log('created', typeof this.setData, this.is); },
                    attached() { log('attached'); },
                    ready() { log('ready'); },
                    detached() { log('detached'); }
                  },
                  pageLifetimes: { show() { log('pageLifetimes.show'); } },
                  methods: {
                    onLoad(q) { log('onLoad', q); },
                    onShow() { log('onShow'); },
                    onReady() { log('onReady'); },
                    tap(e) { log('tap', e.type); }
                  }
                })""";
        try (var run = run(tier, "lifetimes", null, script)) {
            run.dispatch("tap", "{}");
            assertThat(run.events().logs()).containsExactly("created function pages/index/index", "attached", "onLoad {}",
                    "pageLifetimes.show", "onShow", "ready", "onReady", "tap tap");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void propertiesTakeTheQueryAndEverySetDataCoercedToTheirTypes(Isolation tier) {
        String script = """
                Component({
                  properties: {
                    count: Number,
                    flag: { type: Boolean, value: true },
                    name: { type: String, value: 'anon' },
                    list: { type: Array, value: [1] },
                    either: { type: Number, optionalTypes: [String], value: 0 },
                    any: null
                  },
                  methods: {
                    onLoad() { log('load', this.data.count, this.data.flag, this.data.name, this.properties === this.data); },
                    coerce() {
                      this.setData({ count: '7', name: 12, list: 5, either: 'text', any: { a: 1 } });
                      log('coerced', this.data.count, this.data.name, this.data.list, this.data.either, this.data.any);
                      this.setData({ count: 'not a number', name: null, flag: 0 });
                      log('defaults', this.data.count, this.data.name, this.data.flag);
                    }
                  }
                })""";
        try (var run = run(tier, "properties", "count=12&flag=&name=Ann", script)) {
            run.dispatch("coerce", "{}");
            assertThat(run.events().logs()).containsExactly("load 12 false Ann true", "coerced 7 12 [1] text {\"a\":1}",
                    "defaults 0 anon false");
            assertThat(run.events().lastData(ROUTE)).contains("\"count\":0", "\"name\":\"anon\"", "\"flag\":false");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void observersFireOncePerSetDataForTheirPathsWithTheNewValues(Isolation tier) {
        String script = """
                Component({
                  properties: { size: { type: Number, value: 1, observer: 'sizeChanged' } },
                  data: { a: 1, b: { c: 2, d: 3 }, arr: [10, 20], other: 0 },
                  observers: {
                    'a, b.c': function (a, c) { log('a,b.c', a, c); },
                    'arr[0]': function (first) { log('arr[0]', first); },
                    'b.**': function (b) { log('b.**', b); },
                    '**': function () { log('**'); }
                  },
                  methods: {
                    sizeChanged(now, before) { log('size', before, '->', now); },
                    change() {
                      log('-- a and b.c'); this.setData({ a: 5, 'b.c': 6 });
                      log('-- b.d'); this.setData({ 'b.d': 7 });
                      log('-- b'); this.setData({ b: { c: 8 } });
                      log('-- arr'); this.setData({ arr: [30] });
                      log('-- arr[1]'); this.setData({ 'arr[1]': 40 });
                      log('-- other'); this.setData({ other: 1 });
                      log('-- size'); this.setData({ size: '3' }); this.setData({ size: 3 });
                    }
                  }
                })""";
        try (var run = run(tier, "observers", null, script)) {
            run.dispatch("change", "{}");
            assertThat(run.events().logs()).containsExactly(
                    "-- a and b.c", "a,b.c 5 6", "b.** {\"c\":6,\"d\":3}", "**",
                    "-- b.d", "b.** {\"c\":6,\"d\":7}", "**",
                    "-- b", "a,b.c 5 8", "b.** {\"c\":8}", "**",
                    "-- arr", "arr[0] 30", "**",
                    "-- arr[1]", "**",
                    "-- other", "**",
                    "-- size", "**", "size 1 -> 3", "**");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void behaviorsMergeInOrderAndTheDefinitionWins(Isolation tier) {
        String script = """
                const base = Behavior({
                  properties: { label: { type: String, value: 'base' } },
                  data: { shared: { x: 1, y: 1 }, fromBase: true },
                  lifetimes: { created() { log('base created'); } },
                  methods: { hello() { return 'base hello'; }, only() { return 'base only'; } }
                });
                const middle = Behavior({
                  behaviors: [base],
                  data: { shared: { y: 2 } },
                  created() { log('middle created'); },
                  methods: { hello() { return 'middle hello'; } },
                  definitionFilter(def) { def.data = Object.assign({ filtered: true }, def.data); }
                });
                Component({
                  behaviors: [middle, 'wx://form-field'],
                  data: { shared: { z: 3 } },
                  lifetimes: { created() { log('own created'); } },
                  methods: {
                    hello() { return 'own hello'; },
                    onLoad() {
                      log(this.hello(), this.only(), this.data.label, this.data.shared, this.data.fromBase, this.data.filtered);
                      log('form-field', 'name' in this.data, 'value' in this.data);
                      log('has', this.hasBehavior(base), this.hasBehavior(middle), this.hasBehavior('wx://form-field'),
                          this.hasBehavior('wx://component-export'));
                    }
                  }
                })""";
        try (var run = run(tier, "behaviors", null, script)) {
            assertThat(run.events().logs()).containsExactly("base created", "middle created", "own created",
                    "own hello base only base {\"x\":1,\"y\":2,\"z\":3} true true",
                    "form-field true true",
                    "has true true true false");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void definitionsTheContractRefusesAreErrorsOfTheFileThatMadeThem(Isolation tier) {
        String script = """
                for (const [what, f] of [
                    ['bad type', () => Component({ properties: { x: Symbol } })],
                    ['bad behavior', () => Behavior({ behaviors: [{}] })],
                    ['unknown built-in', () => Behavior({ behaviors: ['wx://nothing'] })],
                    ['bad relation', () => Behavior({ relations: { './x': { type: 'sibling' } } })]]) {
                  try { f(); log(what, 'accepted'); } catch (e) { log(what, e.message); }
                }
                Page({})""";
        try (var run = run(tier, "refusals", null, script)) {
            assertThat(run.events().logs()).containsExactly(
                    "bad type Component() in pages/index/index property x: type must be String, Number, Boolean, Object, Array, Function or null",
                    "bad behavior Behavior(): behaviors must be Behavior() results or built-in behavior names",
                    "unknown built-in Behavior(): unknown built-in behavior wx://nothing",
                    "bad relation Behavior() relation ./x: type must be parent, child, ancestor or descendant");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aComponentsSetDataPassesTheSameChecksAsAPages(Isolation tier) {
        String script = """
                Component({
                  data: { n: 0 },
                  methods: {
                    tooBig() { this.setData({ big: 'x'.repeat(1100000) }); },
                    forbidden() { try { this.setData({ '__proto__.p': 1 }); } catch (e) { log('caught', e.message); } },
                    bump() { this.setData({ n: this.data.n + 1 }, () => log('callback', this.data.n)); }
                  }
                })""";
        try (var run = run(tier, "component-setdata", null, script)) {
            run.dispatch("tooBig", "{}").dispatch("forbidden", "{}").dispatch("bump", "{}");
            assertThat(run.events().violations()).singleElement().satisfies(v -> assertThat(v.kind()).isEqualTo(ViolationKind.SET_DATA));
            assertThat(run.events().logs()).containsExactly("caught setData: forbidden path __proto__.p", "callback 1");
            assertThat(run.events().lastData(ROUTE)).isEqualTo("{\"n\":1}");
        }
    }
}
