package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code wx.getExtConfigSync()} / {@code wx.getExtConfig()} as WeChat: the {@code ext} object of the
 * package's ext.json when {@code extEnable} is true, otherwise {@code {}}; ext.json is read with the
 * strict JSON reader and bounded, so a malformed or oversized one is a clear {@code fail} (the sync
 * form throws it), the same in both tiers.
 */
class ExtConfigTest {
    private static final String PAGE = """
            const log = (...a) => console.log(a.join(' '));
            Page({ onLoad() {
              try { log('sync', JSON.stringify(wx.getExtConfigSync())) } catch (e) { log('sync threw', e instanceof Error, e.message) }
              wx.getExtConfig({ success(r) { log('async', JSON.stringify(r.extConfig), r.errMsg) }, fail(e) { log('async', e.errMsg) } });
              log('can', wx.canIUse('getExtConfigSync'), wx.canIUse('getExtConfig'));
            } })
            """;

    private static Harness.Run run(Isolation tier, String user, String... extJson) {
        var pkg = extJson.length == 0 ? TestApps.page(PAGE) : TestApps.app("pages/index/index.js", PAGE, "ext.json", extJson[0]);
        return Tiers.harness(tier).run(pkg, user + "-" + tier);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void anEnabledExtJsonGivesItsExtObject(Isolation tier) {
        String ext = "{\"extEnable\":true,\"extAppid\":\"wx0123\",\"ext\":{\"shop\":\"north\",\"theme\":{\"colors\":[1,2]}}}";
        try (var run = run(tier, "ext-on", ext)) {
            assertThat(run.events().logs()).contains("sync {\"shop\":\"north\",\"theme\":{\"colors\":[1,2]}}",
                    "async {\"shop\":\"north\",\"theme\":{\"colors\":[1,2]}} getExtConfig:ok", "can true true");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void withoutExtJsonOrWithExtDisabledTheConfigIsEmpty(Isolation tier) {
        try (var run = run(tier, "ext-none")) {
            assertThat(run.events().logs()).contains("sync {}", "async {} getExtConfig:ok");
        }
        try (var run = run(tier, "ext-off", "{\"extEnable\":false,\"ext\":{\"shop\":\"north\"}}")) {
            assertThat(run.events().logs()).contains("sync {}", "async {} getExtConfig:ok");
        }
        try (var run = run(tier, "ext-missing-flag", "{\"ext\":{\"shop\":\"north\"}}")) {
            assertThat(run.events().logs()).contains("sync {}", "async {} getExtConfig:ok");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aMalformedOrOversizedExtJsonFailsWithTheReason(Isolation tier) {
        try (var run = run(tier, "ext-dup", "{\"extEnable\":true,\"ext\":{\"a\":1,\"a\":2}}")) {
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("sync threw true getExtConfigSync:fail ext.json: not valid JSON: Duplicate"))
                    .anyMatch(l -> l.startsWith("async getExtConfig:fail ext.json: not valid JSON: Duplicate"));
        }
        try (var run = run(tier, "ext-type", "{\"extEnable\":\"yes\",\"ext\":{}}")) {
            assertThat(run.events().logs()).contains("sync threw true getExtConfigSync:fail ext.json: extEnable: must be true or false");
        }
        try (var run = run(tier, "ext-not-object", "{\"extEnable\":true,\"ext\":[1]}")) {
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("sync threw true getExtConfigSync:fail ext.json: ext"));
        }
        String big = "{\"extEnable\":true,\"ext\":{\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        try (var run = run(tier, "ext-big", big)) {
            assertThat(run.events().logs()).contains("sync threw true getExtConfigSync:fail ext.json: larger than 65536 bytes",
                    "async getExtConfig:fail ext.json: larger than 65536 bytes");
        }
    }
}
