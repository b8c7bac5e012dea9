package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * setData's depth limits hold before any change, the same way in both tiers: a path, a value or the
 * two together that would nest page data more than 32 levels deep is a setData violation (never a
 * worker protocol violation), the page keeps its data and later setData calls work; data exactly at
 * the limit is accepted; a bad path or a value that is not data is a plain Error the guest can catch,
 * never a framework-private object.
 */
class SetDataDepthTest {
    private static final String PAGE = """
            const nest = (k) => { let v = 1; for (let i = 0; i < k; i++) v = { x: v }; return v; };
            const path = (name, k) => name + ('.' + name).repeat(k - 1);
            const log = (...a) => console.log(a.join(' '));
            Page({ data: { n: 0 },
              deepPath() { this.setData({ [path('p', 40)]: 1 }); },
              deepValue() { this.setData({ v: nest(40) }); },
              combined() { this.setData({ [path('q', 20)]: nest(20) }); },
              atLimit() { this.setData({ [path('r', 16)]: nest(16) }); },
              plainErrors() {
                for (const change of [{ 'a[x]': 1 }, { '__proto__.polluted': 1 }, { p: new Proxy({}, {}) }, { b: 1n }]) {
                  try { this.setData(change); log('accepted') }
                  catch (e) { log('caught', Object.getPrototypeOf(e) === Error.prototype || Object.getPrototypeOf(e) === TypeError.prototype, e.message) }
                }
                log('polluted', typeof ({}).polluted, 'keys', Object.keys(this.data).join(','));
              },
              bump() { this.setData({ n: this.data.n + 1 }); log('n', this.data.n); } })
            """;

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void tooDeepIsASetDataViolationBeforeAnyChangeAndLaterCallsWork(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.page(PAGE), "setdata-" + tier)) {
            String route = "pages/index/index";
            for (String handler : new String[] {"deepPath", "deepValue", "combined"}) {
                run.dispatch(handler, "{}");
                assertThat(run.events().lastData(route)).as("after " + handler).doesNotContain("\"p\"", "\"v\"", "\"q\"");
                run.dispatch("bump", "{}");
            }
            assertThat(run.events().violations()).hasSize(3).allSatisfy(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.SET_DATA);
                assertThat(v.message()).isEqualTo("setData would nest page data more than 32 levels deep");
                assertThat(v.sessionEnded()).isFalse();
            });
            assertThat(run.events().logs()).containsSubsequence("n 1", "n 2", "n 3");
            assertThat(run.events().lastData(route)).isEqualTo("{\"n\":3}");
            assertThat(run.session().ended()).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void dataExactlyAtTheLimitIsAccepted(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.page(PAGE), "setdata-limit-" + tier)) {
            run.dispatch("atLimit", "{}").dispatch("bump", "{}");
            String data = run.events().lastData("pages/index/index");
            assertThat(data).startsWith("{\"n\":1,\"r\":{\"r\":").contains("{\"x\":1}");
            assertThat(data.chars().filter(c -> c == '{').count()).as("levels").isEqualTo(32);
            assertThat(run.events().violations()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void badPathsAndValuesThatAreNotDataArePlainErrorsAndChangeNothing(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.page(PAGE), "setdata-errors-" + tier)) {
            run.dispatch("plainErrors", "{}").dispatch("bump", "{}");
            assertThat(run.events().logs()).containsSubsequence("caught true setData: bad index in a[x]",
                    "caught true setData: forbidden path __proto__.polluted", "caught true setData: a Proxy is not data",
                    "caught true setData: BigInt values are not data", "polluted undefined keys n", "n 1");
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":1}");
        }
    }
}
