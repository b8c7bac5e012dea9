package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guest owns its page object as it owns {@code wx}: it may wrap the framework's
 * {@code this.setData} (a profiler does, on every page) and the wrapper works, the same way in both
 * tiers. The bridge's integrity does not depend on the binding: the original, called through a
 * wrapper or with any receiver, still enforces every limit (size, paths, values) and updates only
 * its own page; a replacement that never calls it only leaves the data as it was.
 */
class GuestOwnedPageTest {
    private static final String ROUTE = "pages/index/index";

    private static final String PAGE = """
            const log = (...a) => console.log(a.join(' '));
            let calls = 0, orig;
            Page({ data: { n: 0 },
              onLoad() {
                'use strict'; // an assignment to a read-only property would throw here
                orig = this.setData;
                this.setData = function (...a) { calls++; return orig.apply(this, a); };
                const d = Object.getOwnPropertyDescriptor(this, 'setData');
                log('wrapped', d.writable, d.configurable, this.setData !== orig);
                this.setData({ n: 1 }, () => log('callback', this.data.n));
                log('after', this.data.n, 'calls', calls);
              },
              tooBig() { this.setData({ big: 'x'.repeat(1100000) }); },
              forbidden() {
                try { this.setData({ '__proto__.polluted': 1 }); log('accepted') } catch (e) { log('caught', e.message) }
                log('polluted', typeof ({}).polluted);
              },
              otherReceiver() { orig.call({ data: { n: 99 } }, { n: this.data.n + 1 }); log('receiver', this.data.n); },
              swallow() {
                this.setData = function () { log('swallowed') };
                this.setData({ n: 1000 });
                log('swallow', this.data.n);
              },
              bump() { orig.call(this, { n: this.data.n + 1 }); log('n', this.data.n, 'calls', calls); } })
            """;

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aWrappedSetDataWorksAndTheOriginalStillEnforcesEveryLimit(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.page(PAGE), "page-owned-" + tier)) {
            run.dispatch("tooBig", "{}").dispatch("forbidden", "{}").dispatch("otherReceiver", "{}").dispatch("bump", "{}");
            assertThat(run.events().logs()).containsSubsequence("wrapped true true true", "after 1 calls 1", "callback 1",
                    "caught setData: forbidden path __proto__.polluted", "polluted undefined", "receiver 2", "n 3 calls 3")
                    .doesNotContain("accepted");
            assertThat(run.events().violations()).as("the wrapped call past the size limit").singleElement().satisfies(v -> {
                assertThat(v.kind()).isEqualTo(ViolationKind.SET_DATA);
                assertThat(v.sessionEnded()).isFalse();
            });
            assertThat(run.events().lastData(ROUTE)).as("the refused change left no trace").isEqualTo("{\"n\":3}");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aReplacementThatNeverCallsTheOriginalLeavesTheDataAsItWas(Isolation tier) {
        try (var run = Tiers.harness(tier).run(TestApps.page(PAGE), "page-swallow-" + tier)) {
            long dataEvents = run.events().of(RuntimeEvent.Data.class).size();
            run.dispatch("swallow", "{}");
            assertThat(run.events().logs()).contains("swallowed", "swallow 1");
            assertThat(run.events().of(RuntimeEvent.Data.class)).as("no data change reached the host").hasSize((int) dataEvents);
            assertThat(run.events().lastData(ROUTE)).isEqualTo("{\"n\":1}");
            run.dispatch("bump", "{}");
            assertThat(run.events().lastData(ROUTE)).as("the original still works").isEqualTo("{\"n\":2}");
        }
    }
}
