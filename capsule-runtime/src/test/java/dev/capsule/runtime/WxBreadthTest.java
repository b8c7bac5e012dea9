package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.DeviceControls;
import dev.capsule.runtime.host.DeviceServices;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.host.NetworkStatus;
import dev.capsule.runtime.host.PersonalDataProvider;
import dev.capsule.runtime.internal.Apis;
import dev.capsule.runtime.net.GuardedHttpClient;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The wx breadth of issue #13, the same in both tiers: view-layer APIs exist and fail with their
 * reason (never {@code undefined is not a function}; {@code canIUse} says false), APIs absent by
 * decision are undefined, and the host-mediated device APIs hand checked arguments to the host's
 * service, deny what policy refuses (audited) and are absent without the service.
 */
class WxBreadthTest {
    private static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();
    private static final List<String> DEVICE = new CopyOnWriteArrayList<>();
    private static final AtomicBoolean USER_CONFIRMS = new AtomicBoolean();
    private static final InMemoryConsentLedger LEDGER = new InMemoryConsentLedger();
    private static final Map<Isolation, Harness> HARNESSES = new EnumMap<>(Isolation.class);
    private static final Map<Isolation, Harness> BARE = new EnumMap<>(Isolation.class);

    static final List<String> VIEW_SYNC = List.of("createIntersectionObserver", "createCanvasContext");
    static final List<String> ABSENT = List.of("cloud", "getClipboardData", "getScreenBrightness", "setScreenBrightness", "getUpdateManager",
            "sendSocketMessage", "closeSocket", "onSocketOpen", "onSocketMessage", "onSocketError", "onSocketClose",
            "createWorker", "getRecorderManager", "chooseImage", "chooseMedia", "scanCode", "createInnerAudioContext", "getBackgroundAudioManager");

    /** Declares both profile APIs, so only consent decides; request and downloadFile hosts for previewImage. */
    private static final String MANIFEST = """
            {"id":"com.example.breadth","version":"1.0.0","name":"Breadth","developer":{"id":"ex","name":"Ex"},
             "network":{"request":["api.example.com"],"downloadFile":["cdn.example.com"]},
             "privacy":[{"data":"profile","apis":["wx.getUserProfile","wx.getUserInfo"],"purpose":"Show your name"}]}""";

    @BeforeAll
    static void start() {
        DeviceServices devices = DeviceServices.NONE
                .withClipboard((app, text) -> DEVICE.add("clipboard " + app + " " + text))
                .withPhone((app, number) -> DEVICE.add("dial " + number) && USER_CONFIRMS.get())
                .withImageViewer((app, sources, current) -> DEVICE.add("show " + sources + " at " + current))
                .withControls(new DeviceControls() {
                    @Override
                    public void keepScreenOn(String appId, boolean on) {
                        DEVICE.add("screen " + on);
                    }

                    @Override
                    public void vibrate(String appId, boolean longVibration) {
                        DEVICE.add("vibrate " + (longVibration ? "long" : "short"));
                    }
                })
                .withNetworkStatus(() -> NetworkStatus.Type.WIFI);
        PersonalDataProvider profiles = new PersonalDataProvider() {
            @Override
            public Optional<Location> location(String appId, String userId) {
                return Optional.empty();
            }

            @Override
            public Optional<UserProfile> userProfile(String appId, String userId) {
                return Optional.of(new UserProfile("Alice", "https://cdn.example.com/alice.png"));
            }
        };
        HostServices services = HostServices.defaults().withAudit(AUDIT::add).withDevices(devices).withPersonalData(profiles)
                .withConsent((app, user, scope, purpose) -> USER_CONFIRMS.get(), LEDGER);
        for (Isolation tier : Isolation.values()) {
            WorkerLimits workers = WorkerLimits.DEFAULTS.withWorkers(4, 1);
            HARNESSES.put(tier, new Harness(tier, services, RuntimeLimits.DEFAULTS, GuardedHttpClient.create(), true, workers));
            BARE.put(tier, new Harness(tier, HostServices.defaults().withDevices(DeviceServices.NONE), RuntimeLimits.DEFAULTS,
                    GuardedHttpClient.create(), true, workers));
        }
    }

    @AfterAll
    static void stop() {
        HARNESSES.values().forEach(Harness::close);
        BARE.values().forEach(Harness::close);
    }

    @BeforeEach
    void reset() {
        AUDIT.clear();
        DEVICE.clear();
        USER_CONFIRMS.set(false);
    }

    private static Harness.Run run(Isolation tier, String onLoadBody) {
        return HARNESSES.get(tier).run(TestApps.app("capsule.json", MANIFEST, "pages/index/index.js", "Page({onLoad(){ " + onLoadBody + " }})"));
    }

    private static List<AuditEvent> audited(String action) {
        return AUDIT.stream().filter(a -> a.action().equals(action)).toList();
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void viewLayerApisExistAndFailWithTheirReason(Isolation tier) {
        StringBuilder body = new StringBuilder();
        for (String name : VIEW_SYNC) {
            body.append("try { wx.").append(name).append("(); console.log('no throw'); } catch (e) { console.log('throws ' + (e instanceof Error) + ' ' + e.message) }");
        }
        body.append("console.log('can ' + [").append(String.join(",", VIEW_SYNC.stream().map(n -> "wx.canIUse('" + n + "')").toList()))
                .append("].join(','));");
        try (var run = run(tier, body.toString())) {
            for (String name : VIEW_SYNC) {
                assertThat(run.events().logs()).contains("throws true " + name + ":fail " + Apis.unavailableReason(name).orElseThrow());
            }
            // The two the review quotes say what they need.
            assertThat(Apis.unavailableReason("createIntersectionObserver").orElseThrow()).startsWith("needs a layout host");
            assertThat(Apis.unavailableReason("createCanvasContext").orElseThrow()).startsWith("a canvas is not built");
            assertThat(run.events().logs()).doesNotContain("no throw")
                    .contains("can " + String.join(",", java.util.Collections.nCopies(VIEW_SYNC.size(), "false")));
            assertThat(run.events().logs()).noneMatch(l -> l.contains("is not a function"));
            assertThat(run.session().exitCode()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void apisAbsentByDecisionAreUndefinedAndCanIUseSaysSo(Isolation tier) {
        String body = "console.log('absent ' + [" + String.join(",", ABSENT.stream().map(n -> "typeof wx." + n + " + wx.canIUse('" + n + "')").toList())
                + "].join(','));";
        try (var run = run(tier, body)) {
            assertThat(run.events().logs()).contains("absent " + String.join(",", java.util.Collections.nCopies(ABSENT.size(), "undefinedfalse")));
        }
        ABSENT.forEach(n -> assertThat(Apis.absentReason(n)).as(n).isPresent());
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void clipboardWritesGoToTheHostAndAreAuditedWithoutTheirText(Isolation tier) {
        String body = "wx.setClipboardData({data:'order 42', success(r){ console.log('copied ' + r.errMsg) }});"
                + " wx.setClipboardData({data:'x'.repeat(10001), fail(e){ console.log('long ' + e.errMsg) }});"
                + " wx.setClipboardData({data:7, fail(e){ console.log('bad ' + e.errMsg) }});"
                + " console.log('can ' + wx.canIUse('setClipboardData'));";
        try (var run = run(tier, body)) {
            assertThat(run.events().logs()).contains("copied setClipboardData:ok", "can true",
                    "long setClipboardData:fail parameter error: data is longer than 10000 characters",
                    "bad setClipboardData:fail parameter error: data must be a string");
        }
        assertThat(DEVICE).containsExactly("clipboard com.example.breadth order 42");
        assertThat(audited("wx.setClipboardData")).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo("written");
            assertThat(a.detail()).isEqualTo("8 chars").doesNotContain("order");
        });
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void phoneCallsAreDialledByTheHostOnlyWhenTheUserConfirms(Isolation tier) {
        String body = "wx.makePhoneCall({phoneNumber:'+86 10 1234', success(r){ console.log('call ' + r.errMsg) }, fail(e){ console.log('call ' + e.errMsg) }});"
                + " wx.makePhoneCall({phoneNumber:'javascript:alert(1)', fail(e){ console.log('bad ' + e.errMsg) }});";
        try (var run = run(tier, body)) {
            assertThat(run.events().logs()).contains("call makePhoneCall:fail cancel",
                    "bad makePhoneCall:fail parameter error: phoneNumber must be a phone number (digits, optional leading +)");
        }
        assertThat(audited("wx.makePhoneCall")).extracting(AuditEvent::outcome).containsExactly("cancelled");
        USER_CONFIRMS.set(true);
        try (var run = run(tier, "wx.makePhoneCall({phoneNumber:'10086'}).then(r => console.log('call ' + r.errMsg));")) {
            assertThat(run.events().logs()).contains("call makePhoneCall:ok");
        }
        assertThat(DEVICE).containsExactly("dial +86 10 1234", "dial 10086");
        assertThat(audited("wx.makePhoneCall")).extracting(AuditEvent::outcome).containsExactly("cancelled", "dialled");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void previewImageShowsOnlyAllowlistedUrlsAndSessionTempFiles(Isolation tier) {
        String body = "wx.previewImage({urls:['https://cdn.example.com/a.png','https://api.example.com/b.png'], current:'https://api.example.com/b.png',"
                + " success(r){ console.log('shown ' + r.errMsg) }});"
                + " wx.previewImage({urls:['https://evil.example.net/x.png'], fail(e){ console.log('evil ' + e.errMsg) }});"
                + " wx.previewImage({urls:['file:///etc/passwd'], fail(e){ console.log('file ' + e.errMsg) }});"
                + " wx.previewImage({urls:['wxfile://tmp/0123456789abcdef0123456789abcdef.png'], fail(e){ console.log('temp ' + e.errMsg) }});"
                + " wx.previewImage({urls:['wxfile://tmp/../secret'], fail(e){ console.log('dots ' + e.errMsg) }});"
                + " wx.previewImage({urls:[], fail(e){ console.log('empty ' + e.errMsg) }});";
        try (var run = run(tier, body)) {
            assertThat(run.events().logs()).contains("shown previewImage:ok", "empty previewImage:fail parameter error: urls must be a non-empty array of strings",
                    // No temporary file was made by this session, so none is known: never a host path, never another session's.
                    "temp previewImage:fail image \"wxfile://tmp/0123456789abcdef0123456789abcdef.png\" is not a temporary file of this session",
                    "dots previewImage:fail image \"wxfile://tmp/../secret\" is not a temporary file of this session");
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("evil previewImage:fail image \"https://evil.example.net/x.png\" is neither"));
            assertThat(run.events().logs()).anyMatch(l -> l.startsWith("file previewImage:fail image \"file:///etc/passwd\" is neither"));
        }
        assertThat(DEVICE).containsExactly("show [Url[url=https://cdn.example.com/a.png], Url[url=https://api.example.com/b.png]] at 1");
        assertThat(audited("wx.previewImage")).extracting(AuditEvent::outcome).containsExactlyInAnyOrder("shown", "denied", "denied", "denied", "denied");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void screenVibrationAndNetworkTypeComeFromTheHost(Isolation tier) {
        String body = "wx.setKeepScreenOn({keepScreenOn:true, success(){ wx.vibrateShort({ success(){ wx.vibrateLong({ success(){"
                + " wx.getNetworkType({success(r){ console.log('net ' + r.networkType) }}) }}) }}) }});"
                + " wx.setKeepScreenOn({keepScreenOn:'yes', fail(e){ console.log('bad ' + e.errMsg) }});"
                + " wx.onNetworkStatusChange(() => {}); wx.offNetworkStatusChange();"
                + " const r = wx.getMenuButtonBoundingClientRect(); console.log('menu ' + [r.left, r.top, r.width, r.height, r.right, r.bottom].join(','));";
        try (var run = run(tier, body)) {
            assertThat(run.events().logs()).contains("net wifi", "bad setKeepScreenOn:fail parameter error: keepScreenOn must be a boolean",
                    "menu 278,24,87,32,365,56");
        }
        assertThat(DEVICE).containsExactly("screen true", "vibrate short", "vibrate long");
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aNetworkChangeTheHostReportsReachesTheListenersUntilTheyAreRemoved(Isolation tier) throws Exception {
        String body = "const l = r => { console.log('changed ' + r.isConnected + ' ' + r.networkType); if (!r.isConnected) wx.offNetworkStatusChange(l); };"
                + " wx.onNetworkStatusChange(l);";
        try (var run = run(tier, body)) {
            run.session().networkStatusChanged(NetworkStatus.Type.WIFI);
            assertThat(run.session().awaitIdle(Harness.IDLE_WAIT)).isTrue();
            run.session().networkStatusChanged(NetworkStatus.Type.NONE);
            assertThat(run.session().awaitIdle(Harness.IDLE_WAIT)).isTrue();
            run.session().networkStatusChanged(NetworkStatus.Type.UNKNOWN); // the listener removed itself
            assertThat(run.session().awaitIdle(Harness.IDLE_WAIT)).isTrue();
            assertThat(run.events().logs()).filteredOn(l -> l.startsWith("changed")).containsExactly("changed true wifi", "changed false none");
            assertThat(run.session().exitCode()).isZero();
        }
        // A session without the listener APIs ignores the host's report: nothing runs, nothing fails.
        try (var run = BARE.get(tier).run(TestApps.page("Page({onLoad(){ console.log('bare ' + typeof wx.onNetworkStatusChange) }})"))) {
            run.session().networkStatusChanged(NetworkStatus.Type.NONE);
            assertThat(run.session().awaitIdle(Harness.IDLE_WAIT)).isTrue();
            assertThat(run.events().logs()).containsExactly("bare undefined");
            assertThat(run.events().of(RuntimeEvent.Log.class)).noneMatch(l -> l.level().equals("error"));
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void withoutTheHostsDeviceServicesTheirApisAreAbsent(Isolation tier) {
        String body = "console.log('device ' + [typeof wx.setClipboardData, typeof wx.makePhoneCall, typeof wx.previewImage,"
                + " typeof wx.setKeepScreenOn, typeof wx.vibrateShort, typeof wx.getNetworkType, typeof wx.onNetworkStatusChange,"
                + " wx.canIUse('setClipboardData'), typeof wx.createSelectorQuery].join(','));";
        try (var run = BARE.get(tier).run(TestApps.page("Page({onLoad(){ " + body + " }})"))) {
            assertThat(run.events().logs()).contains("device undefined,undefined,undefined,undefined,undefined,undefined,undefined,false,function");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aLaunchWithoutTheDeviceGroupHasNoDeviceApis(Isolation tier) throws Exception {
        var groups = EnumSet.allOf(ApiGroup.class);
        groups.remove(ApiGroup.DEVICE);
        Recorder recorder = new Recorder();
        String page = "Page({onLoad(){ console.log('group ' + typeof wx.setClipboardData + ' ' + wx.canIUse('makePhoneCall') + ' ' + typeof wx.showToast) }})";
        try (var run = new Harness.Run(HARNESSES.get(tier).runtime.launch(TestApps.verified(TestApps.page(page)), "group-" + tier, recorder,
                new SessionPolicy(RuntimeLimits.DEFAULTS, groups)), recorder).idle()) {
            assertThat(run.events().logs()).contains("group undefined false function");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void systemSettingSaysWhatTheSessionHasAndLocationFollowsTheLaunchsGroups(Isolation tier) throws Exception {
        String page = "Page({onLoad(){ console.log('setting ' + JSON.stringify(wx.getSystemSetting()) + ' ' + wx.canIUse('getSystemSetting')) }})";
        try (var run = HARNESSES.get(tier).run(TestApps.page(page))) {
            assertThat(run.events().logs()).contains(
                    "setting {\"bluetoothEnabled\":false,\"locationEnabled\":true,\"wifiEnabled\":false,\"deviceOrientation\":\"portrait\"} true");
        }
        // Without the personal-data group there is no wx.getLocation, and the setting says location is off.
        var groups = EnumSet.allOf(ApiGroup.class);
        groups.remove(ApiGroup.PERSONAL_DATA);
        Recorder recorder = new Recorder();
        try (var run = new Harness.Run(HARNESSES.get(tier).runtime.launch(TestApps.verified(TestApps.page(page)), "setting-" + tier, recorder,
                new SessionPolicy(RuntimeLimits.DEFAULTS, groups)), recorder).idle()) {
            assertThat(run.events().logs()).singleElement().asString().contains("\"locationEnabled\":false");
        }
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void userInfoIsAnonymousUnlessTheUserConsentedAndUndeclaredIsDenied(Isolation tier) {
        String show = "r => console.log('%s ' + r.userInfo.nickName + ' ' + r.userInfo.avatarUrl.slice(0, 26) + ' ' + r.errMsg)";
        LEDGER.record("com.example.breadth", "user-1", new ConsentLedger.Topic("scope.userInfo", "Show your name", TestApps.privacyOf(MANIFEST)),
                false);
        try (var run = run(tier, "wx.getUserInfo().then(" + show.formatted("info") + ");"
                + " wx.getUserProfile({desc:'name'}).then(" + show.formatted("profile") + ");")) {
            assertThat(run.events().logs()).contains("info 微信用户 data:image/svg+xml;base64, getUserInfo:ok",
                    "profile 微信用户 data:image/svg+xml;base64, getUserProfile:ok");
        }
        assertThat(audited("wx.getUserInfo")).extracting(AuditEvent::outcome).containsExactly("anonymous");
        USER_CONFIRMS.set(true);
        try (var run = run(tier, "wx.getUserProfile({desc:'name'}).then(" + show.formatted("profile") + ");")) {
            assertThat(run.events().logs()).contains("profile Alice https://cdn.example.com/al getUserProfile:ok");
        }
        // The profile prompt's answer is recorded, so getUserInfo (which never prompts) now reads the profile too.
        try (var run = run(tier, "wx.getUserInfo().then(" + show.formatted("info") + ");")) {
            assertThat(run.events().logs()).contains("info Alice https://cdn.example.com/al getUserInfo:ok");
        }
        // Spec §3: an app that does not declare the API is denied, whatever the user would say.
        try (var run = HARNESSES.get(tier).run(TestApps.page("Page({onLoad(){ wx.getUserInfo({fail(e){ console.log('undeclared ' + e.errMsg) }}) }})"))) {
            assertThat(run.events().logs()).contains("undeclared getUserInfo:fail wx.getUserInfo is not declared in capsule.json privacy");
        }
        assertThat(audited("wx.getUserInfo")).extracting(AuditEvent::outcome).containsExactly("anonymous", "read", "denied");
    }
}
