package dev.capsule.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.testing.RepoPaths;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.Isolation;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.WorkerLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.LocalMasterKey;
import dev.capsule.runtime.storage.StorageLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The registry is the one list of wx APIs: the guest's {@code wx} has exactly its names (for the
 * capabilities the host grants, in both tiers), framework.js names none of them, and docs/runtime.md's
 * API table is generated from it.
 */
class WxRegistryTest {
    private static final String TABLE_START = "<!-- wx-api-table: generated from Apis.markdownTable(); WxRegistryTest checks it -->\n";
    private static final String TABLE_END = "<!-- /wx-api-table -->";

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void theGuestsWxHasExactlyTheRegistrysNames(Isolation tier) throws Exception {
        HostServices full = HostServices.defaults().withIdentity((app, user) -> "code").withPayment((app, user, request) -> null);
        HostServices noDevices = HostServices.defaults().withDevices(dev.capsule.runtime.host.DeviceServices.NONE);
        for (HostServices services : List.of(noDevices, HostServices.defaults(), full)) {
            Capabilities capabilities = Capabilities.of(services, dev.capsule.runtime.ApiGroup.all());
            TreeSet<String> seen = wxNames(tier, services);
            assertThat(seen).as("%s with %s", tier, capabilities).isEqualTo(Apis.members(capabilities));
            assertThat(seen.contains("login")).isEqualTo(capabilities.services().contains(WxApi.Availability.IDENTITY));
            assertThat(seen.contains("requestPayment")).isEqualTo(capabilities.services().contains(WxApi.Availability.PAYMENT));
            assertThat(seen.contains("setClipboardData")).isEqualTo(services != noDevices);
            assertThat(seen).contains("createSelectorQuery").doesNotContain("cloud", "getClipboardData", "getUpdateManager");
        }
        assertThat(Apis.members(Capabilities.everything())).hasSize(Apis.all().size());
    }

    @Test
    void aGroupTheLaunchLeavesOutIsRefusedByTheHostAndTheSession() {
        var onlyStorage = new Capabilities(Capabilities.everything().services(), java.util.Set.of(dev.capsule.runtime.ApiGroup.STORAGE));
        assertThat(Apis.host("getLocation", false, onlyStorage)).isNull();
        assertThat(Apis.host("requestPayment", false, onlyStorage)).isNull();
        assertThat(Apis.local("navigateTo", false, onlyStorage)).isNull();
        assertThat(Apis.host("setStorage", false, onlyStorage)).isNotNull();
        assertThat(Apis.host("getLocation", false, Capabilities.everything())).isNotNull();
        assertThat(Apis.local("navigateTo", false, Capabilities.everything())).isNotNull();
        assertThat(Apis.names(onlyStorage)).allSatisfy(n -> assertThat(n).containsIgnoringCase("storage"));
    }

    @Test
    void capsuleJsonAcceptsExactlyTheRegistrysPersonalDataApis() {
        assertThat(dev.capsule.core.manifest.CapsuleManifestParser.PRIVACY_APIS)
                .containsExactlyInAnyOrderElementsOf(Apis.personalDataNames().stream().map(n -> "wx." + n).toList());
    }

    @Test
    void frameworkJsNamesNoApi() {
        for (WxApi api : Apis.all()) {
            assertThat(Pattern.compile("['\".]" + api.name() + "\\b").matcher(FrameworkSource.TEXT).find()).as(api.name()).isFalse();
        }
    }

    @Test
    void docsApiTableIsGeneratedFromTheRegistry() throws Exception {
        String docs = Files.readString(RepoPaths.root().resolve("docs/runtime.md"), StandardCharsets.UTF_8);
        int start = docs.indexOf(TABLE_START);
        int end = docs.indexOf(TABLE_END);
        assertThat(start).as("docs/runtime.md has the table markers").isPositive();
        assertThat(docs.substring(start + TABLE_START.length(), end))
                .as("docs/runtime.md's wx API table; replace it with:%n%s", Apis.markdownTable())
                .isEqualTo(Apis.markdownTable());
    }

    @Test
    void everyEntryIsConsistent() {
        for (WxApi api : Apis.all()) {
            // A deferring API (wx.nextTick) crosses the bridge as a synchronous call carrying its callback's id.
            boolean sync = api.style() == WxApi.Style.SYNC || api.style() == WxApi.Style.DEFER;
            // A framework-built object (an Animation) that never calls the host has no handler.
            boolean callable = (api.style() == WxApi.Style.ASYNC || sync)
                    && !(api.runs() instanceof WxApi.Runs.Builder b && b.exec() == null);
            boolean host = Apis.host(api.name(), sync, Capabilities.everything()) != null;
            boolean local = Apis.local(api.name(), sync) != null;
            assertThat(host || local).as(api.name()).isEqualTo(callable);
            // Called the other way round, no API answers: the style is part of what the host checks.
            assertThat(Apis.host(api.name(), !sync, Capabilities.everything())).as(api.name()).isNull();
            assertThat(Apis.local(api.name(), !sync)).as(api.name()).isNull();
        }
        assertThat(Apis.neverPrompts("setStorage")).isTrue();
        assertThat(Apis.neverPrompts("showModal")).isFalse();
        assertThat(Apis.neverPrompts("navigateTo")).isFalse();
    }

    private static TreeSet<String> wxNames(Isolation tier, HostServices services) throws Exception {
        var files = new TreeMap<String, byte[]>();
        files.put("capsule.json", bytes("{\"id\":\"com.example.registry\",\"version\":\"1.0.0\",\"name\":\"R\",\"developer\":{\"id\":\"ex\",\"name\":\"Ex\"}}"));
        files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
        files.put("app.js", bytes("App({})"));
        files.put("pages/index/index.js", bytes("Page({ onLoad() { console.log('wx ' + Object.getOwnPropertyNames(wx).sort().join(','));"
                // One of each style works as built from the table: listeners, positional sync parameters, a buffer result.
                + " wx.onThemeChange(() => {}); wx.offThemeChange(); wx.setStorageSync('k', { v: 1 });"
                + " wx.getRandomValues({ length: 4 }).then(r => console.log('styles ' + JSON.stringify(wx.getStorageSync('k'))"
                + " + ' ' + JSON.stringify(wx.getStorageSync('missing')) + ' ' + (r.randomValues instanceof ArrayBuffer) + ' ' + r.randomValues.byteLength)) } })"));
        CapsulePackage pkg = PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
        List<RuntimeEvent> events = new ArrayList<>();
        // No ready worker: this runtime serves one launch, so a pre-started one would only start ahead of the
        // launch's own (on the pool's one spawner thread, delaying it) and be killed unused at close.
        WorkerLimits oneLaunch = WorkerLimits.DEFAULTS.withWorkers(1, 0);
        try (var http = GuardedHttpClient.create();
                var runtime = new CapsuleRuntime(tier, RuntimeLimits.DEFAULTS, services,
                        EncryptedStorage.inMemory(LocalMasterKey.ephemeral(), StorageLimits.DEFAULTS), http, oneLaunch);
                MiniProgramSession session = runtime.launchUnverified(pkg, "registry", e -> { synchronized (events) { events.add(e); } })) {
            assertThat(session.awaitIdle(Duration.ofSeconds(60))).isTrue();
            synchronized (events) {
                String line = events.stream().filter(e -> e instanceof RuntimeEvent.Log l && l.text().startsWith("wx "))
                        .map(e -> ((RuntimeEvent.Log) e).text()).findFirst().orElseThrow(() -> new AssertionError(events.toString()));
                assertThat(events).anySatisfy(e -> assertThat(e).isEqualTo(new RuntimeEvent.Log("log", "styles {\"v\":1} \"\" true 4")));
                return new TreeSet<>(Arrays.asList(line.substring(3).split(",")));
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
