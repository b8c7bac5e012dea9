package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.HostUi;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Limits and framework paths that a security review found soft; each test pins the hardened behaviour. */
class RuntimeHardeningTest {

    @Test
    void navigationsQueuedInOneEventCannotPassTheStackLimit() {
        try (var harness = new Harness();
                var run = harness.run(TestApps.app("app.json", "{\"pages\":[\"pages/index/index\",\"pages/other/other\"]}",
                        "pages/other/other.js", "Page({})",
                        "pages/index/index.js", "Page({flood(){ for (let i = 0; i < 25; i++) wx.navigateTo({url:'/pages/other/other'}) }})"))) {
            run.dispatch("flood", "{}");
            assertThat(run.events().apis("navigateTo")).filteredOn(RuntimeEvent.Api::ok).hasSize(9);
            assertThat(run.events().of(RuntimeEvent.Lifecycle.class)).filteredOn(l -> l.hook().equals("onLoad")).hasSize(10);
        }
    }

    @Test
    void timeTheUserSpendsInAHostPromptIsNotChargedToTheEvent() {
        HostUi slowUser = new HostUi() {
            @Override
            public boolean showModal(String appId, String title, String content, boolean showCancel) {
                try {
                    Thread.sleep(700);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }

            @Override
            public int showActionSheet(String appId, List<String> items) {
                return -1;
            }
        };
        RuntimeLimits limits = RuntimeLimits.DEFAULTS.withEventWallMillisMax(300);
        try (var harness = new Harness(HostServices.defaults().withUi(slowUser), limits);
                var run = harness.run(TestApps.page("Page({onLoad(){ wx.showModal({title:'Sure?', success(r){ console.log('confirm ' + r.confirm) }}) }})"))) {
            assertThat(run.events().violations()).isEmpty();
            assertThat(run.events().logs()).contains("confirm true");
        }
    }

    @Test
    void aSetterOnObjectPrototypeMessageCannotBreakTheBridge() {
        String script = "Object.defineProperty(Object.prototype, 'message', {set(){}, get(){ return 'forged' }});"
                + " Page({onLoad(){ wx.setStorage({key:'k', data:10n, complete(r){ console.log(r.errMsg) }}) }})";
        try (var harness = new Harness(); var run = harness.run(TestApps.page(script))) {
            assertThat(run.events().logs()).contains("setStorage:fail BigInt values are not data");
            assertThat(run.events().logs()).noneMatch(l -> l.contains("internal error"));
        }
    }

    @Test
    void promiseStyleGetRandomValuesCallsTheHostOnce() {
        String script = "Page({onLoad(){ wx.getRandomValues({length: 8}).then(r => console.log('bytes ' + r.randomValues.byteLength)) }})";
        try (var harness = new Harness(); var run = harness.run(TestApps.page(script))) {
            assertThat(run.events().logs()).contains("bytes 8");
            assertThat(run.events().apis("getRandomValues")).hasSize(1);
        }
    }

    @Test
    void aQueueFloodIsOneViolationNotAFloodOfThem() {
        String script = "Page({onLoad(){ for (let i = 0; i < 1500; i++) wx.setStorage({key: 'k' + i, data: i}) }})";
        try (var harness = new Harness(); var run = harness.run(TestApps.page(script))) {
            assertThat(run.events().violations()).extracting(v -> v.kind().wireName()).containsExactly("queue");
            assertThat(harness.runtime.healthy()).isTrue();
            harness.assertHealthy();
        }
    }
}
