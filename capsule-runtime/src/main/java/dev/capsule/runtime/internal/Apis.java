package dev.capsule.runtime.internal;

import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.internal.WxApi.Availability;
import dev.capsule.runtime.internal.WxApi.Runs;
import dev.capsule.runtime.internal.WxApi.Style;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry of the wx APIs Capsule provides (spec §3): one {@link WxApi} entry per API, and the
 * only list of them. The framework receives {@link #tableJson} when the context is set up and builds
 * {@code wx} from it (framework.js names no API); the bridge, {@link HostSide} and the worker tier
 * look entries up here; docs/runtime.md's API table is {@link #markdownTable} (a test compares them).
 * An API whose host service is missing is absent ({@code wx.login === undefined}), never a stub.
 */
public final class Apis {
    private static final List<WxApi> ALL = new ArrayList<>();
    /** The task object each task-returning API gives the guest (its methods are policy calls {@code api.method}). */
    private static final Map<String, WxTask> TASKS = new LinkedHashMap<>();

    static {
        ApiGroup g = ApiGroup.STORAGE;
        hostAsync(g, "setStorage", StorageApis::set);
        hostAsync(g, "getStorage", StorageApis::get);
        hostAsync(g, "removeStorage", StorageApis::remove);
        hostAsync(g, "clearStorage", StorageApis::clear);
        hostAsync(g, "getStorageInfo", StorageApis::info);
        hostSync(g, "setStorageSync", StorageApis::setSync, "key", "data");
        hostSync(g, "getStorageSync", StorageApis::getSync, "key");
        hostSync(g, "removeStorageSync", StorageApis::removeSync, "key");
        hostSync(g, "clearStorageSync", StorageApis::clearSync);
        hostSync(g, "getStorageInfoSync", StorageApis::infoSync);

        hostAsync(ApiGroup.NETWORK, "request", NetworkApis::request);
        task(ApiGroup.NETWORK, "connectSocket", SocketApis::connect, SocketApis.TASK);
        hostAsync(ApiGroup.NETWORK, "downloadFile", FileTransferApis::download);
        hostAsync(ApiGroup.NETWORK, "uploadFile", FileTransferApis::upload);

        g = ApiGroup.NAVIGATION;
        localAsync(g, "navigateTo", NavigationApis::navigateTo);
        localAsync(g, "redirectTo", NavigationApis::redirectTo);
        localAsync(g, "navigateBack", NavigationApis::navigateBack);
        localAsync(g, "switchTab", NavigationApis::switchTab);
        localAsync(g, "reLaunch", NavigationApis::reLaunch);

        g = ApiGroup.HOST_UI;
        hostAsync(g, "showToast", UiApis::showToast);
        hostAsync(g, "showLoading", UiApis::showLoading);
        hostAsync(g, "hideLoading", UiApis::hideLoading);
        prompting(g, "showModal", UiApis::showModal, Availability.ALWAYS);
        prompting(g, "showActionSheet", UiApis::showActionSheet, Availability.ALWAYS);
        localAsync(g, "setNavigationBarTitle", ChromeApis::setNavigationBarTitle); // a chrome op in the page's batch

        g = ApiGroup.SYSTEM;
        localAsync(g, "getSystemInfo", SystemApis::systemInfo);
        localSync(g, "getSystemInfoSync", SystemApis::systemInfo);
        localSync(g, "getWindowInfo", SystemApis::windowInfo);
        localSync(g, "getAppBaseInfo", SystemApis::appBaseInfo);
        localSync(g, "getDeviceInfo", SystemApis::deviceInfo);
        localSync(g, "getAccountInfoSync", SystemApis::accountInfo);
        add(new WxApi("getRandomValues", g, Style.ASYNC, new Runs.Local(SystemApis::randomValues), List.of(), "randomValues"));
        localSync(g, "canIUse", SystemApis::canIUse, "schema");
        localAsync(g, "getExtConfig", ExtConfigApis::extConfig);
        localSync(g, "getExtConfigSync", ExtConfigApis::extConfigSync);
        localSync(g, "getSystemSetting", SystemApis::systemSetting);
        listeners(g, "onThemeChange", "offThemeChange", "theme");
        // App lifecycle (docs/runtime.md, "Framework"): launch options, nextTick, app-level event listeners.
        localSync(g, "getLaunchOptionsSync", LifecycleApis::launchOptions);
        localSync(g, "getEnterOptionsSync", LifecycleApis::launchOptions);
        add(new WxApi("nextTick", g, Style.DEFER, new Runs.Local(LifecycleApis::nextTick), List.of(), null));
        listeners(g, "onError", "offError", "error");
        listeners(g, "onUnhandledRejection", "offUnhandledRejection", "unhandledRejection");
        listeners(g, "onPageNotFound", "offPageNotFound", "pageNotFound");
        listeners(g, "onAppShow", "offAppShow", "appShow");
        listeners(g, "onAppHide", "offAppHide", "appHide");

        g = ApiGroup.SETTINGS;
        hostAsync(g, "getSetting", SettingsApis::getSetting);
        prompting(g, "authorize", SettingsApis::authorize, Availability.ALWAYS);
        prompting(g, "openSetting", SettingsApis::openSetting, Availability.ALWAYS);
        hostAsync(g, "getPrivacySetting", SettingsApis::getPrivacySetting);
        prompting(g, "requirePrivacyAuthorize", SettingsApis::requirePrivacyAuthorize, Availability.ALWAYS);

        prompting(ApiGroup.IDENTITY, "login", IdentityApis::login, Availability.IDENTITY);

        prompting(ApiGroup.PERSONAL_DATA, "getLocation", PersonalDataApis::getLocation, Availability.ALWAYS);
        prompting(ApiGroup.PERSONAL_DATA, "getUserProfile", PersonalDataApis::getUserProfile, Availability.ALWAYS);

        prompting(ApiGroup.PAYMENT, "requestPayment", PaymentApis::requestPayment, Availability.PAYMENT);

        // The view APIs (docs/view.md, "View APIs"): chrome ops in the page's batch, and what is not built, with why.
        g = ApiGroup.VIEW;
        add(new WxApi("createSelectorQuery", g, Style.SYNC, new Runs.Builder("selectorQuery", SelectorQueryApis::exec), List.of(), null));
        unavailable(g, "createIntersectionObserver", Style.SYNC, "needs a layout host: intersections are geometry, and Capsule's "
                + "headless hosts render pages to HTML without laying them out (no host ViewLayout service is built), so there is "
                + "nothing to observe; an observer that never fired would be a stub");
        add(new WxApi("createAnimation", g, Style.SYNC, new Runs.Builder("animation", null), List.of(), null));
        unavailable(g, "createCanvasContext", Style.SYNC, "a canvas is not built: the view has no canvas component and no drawing "
                + "backend, and a context whose draw() did nothing would be a stub");
        localAsync(g, "pageScrollTo", PageScrollApis::pageScrollTo);
        localAsync(g, "startPullDownRefresh", PageScrollApis::startPullDownRefresh);
        localAsync(g, "stopPullDownRefresh", PageScrollApis::stopPullDownRefresh);
        localAsync(g, "setNavigationBarColor", ChromeApis::setNavigationBarColor);
        localAsync(g, "showNavigationBarLoading", ChromeApis::showNavigationBarLoading);
        localAsync(g, "hideNavigationBarLoading", ChromeApis::hideNavigationBarLoading);
        localAsync(g, "setBackgroundColor", ChromeApis::setBackgroundColor);
        localAsync(g, "setBackgroundTextStyle", ChromeApis::setBackgroundTextStyle);
        localAsync(g, "showTabBar", ChromeApis::showTabBar);
        localAsync(g, "hideTabBar", ChromeApis::hideTabBar);
        localAsync(g, "setTabBarBadge", ChromeApis::setTabBarBadge);
        localAsync(g, "removeTabBarBadge", ChromeApis::removeTabBarBadge);
        localAsync(g, "showTabBarRedDot", ChromeApis::showTabBarRedDot);
        localAsync(g, "hideTabBarRedDot", ChromeApis::hideTabBarRedDot);
        localAsync(g, "setTabBarItem", ChromeApis::setTabBarItem);
        localAsync(g, "setTabBarStyle", ChromeApis::setTabBarStyle);
        localSync(ApiGroup.SYSTEM, "getMenuButtonBoundingClientRect", SystemApis::menuButton);

        g = ApiGroup.DEVICE;
        hostAsync(g, "setClipboardData", DeviceApis::setClipboardData, Availability.CLIPBOARD);
        prompting(g, "makePhoneCall", DeviceApis::makePhoneCall, Availability.PHONE);
        prompting(g, "previewImage", DeviceApis::previewImage, Availability.IMAGE_VIEWER);
        hostAsync(g, "setKeepScreenOn", DeviceApis::setKeepScreenOn, Availability.DEVICE_CONTROLS);
        hostAsync(g, "vibrateShort", DeviceApis::vibrateShort, Availability.DEVICE_CONTROLS);
        hostAsync(g, "vibrateLong", DeviceApis::vibrateLong, Availability.DEVICE_CONTROLS);
        hostAsync(g, "getNetworkType", DeviceApis::getNetworkType, Availability.NETWORK_STATUS);
        listeners(g, "onNetworkStatusChange", "offNetworkStatusChange", DeviceApis.NETWORK_CHANNEL, Availability.NETWORK_STATUS);

        prompting(ApiGroup.PERSONAL_DATA, "getUserInfo", PersonalDataApis::getUserInfo, Availability.ALWAYS);
    }

    /**
     * An API Capsule leaves out by decision: {@code wx.name} is undefined, {@code canIUse} answers
     * false, docs/runtime.md lists the reason and the automated review quotes it.
     */
    public record Absent(String name, String reason) {
        public Absent {
            if (name == null || name.isBlank() || reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an absent API needs its name and reason");
            }
        }
    }

    private static final List<Absent> ABSENT = new ArrayList<>();

    static {
        absent("cloud", "WeChat Cloud Development is Tencent's hosted backend (cloud functions, database, storage) bound to a WeChat "
                + "AppID; Capsule is self-hosted and runs no such backend. Call your own HTTPS service with wx.request");
        absent("getClipboardData", "reading the clipboard would hand the mini-program whatever the user copied elsewhere (codes, "
                + "passwords, addresses); Capsule's clipboard is write-only");
        absent("getScreenBrightness", "the exact brightness is a fingerprinting signal (it differs per device and follows the room's "
                + "light) and is only needed to restore wx.setScreenBrightness, which Capsule does not offer");
        absent("setScreenBrightness", "a mini-program does not take over the device's screen settings; wx.setKeepScreenOn covers "
                + "showing a code for scanning");
        String sockets = "one mechanism for sockets: the SocketTask that wx.connectSocket returns (send, close, onOpen, onMessage, "
                + "onError, onClose); the legacy global family would be a second way to the same socket";
        absent("sendSocketMessage", sockets);
        absent("closeSocket", sockets);
        absent("onSocketOpen", sockets);
        absent("onSocketMessage", sockets);
        absent("onSocketError", sockets);
        absent("onSocketClose", sockets);
        absent("getUpdateManager", "a session runs one verified release; updates arrive through the registry's release channel "
                + "between sessions, so there is no in-session update to check or apply (app templates guard it with "
                + "wx.canIUse('getUpdateManager'), which answers false)");
        absent("createWorker", "each mini-program is one sandboxed event loop with its own CPU, memory and timer budgets; a worker "
                + "thread would be a second engine outside them. app.json's workers folder is accepted with a warning and never runs");
        // Capture and media: personal data or device output that needs a host service Capsule does not define yet; an
        // object whose methods did nothing would be a stub, so these are absent until that service exists.
        String capture = " is personal data the user must give deliberately, through a host capture service with its own "
                + "consent prompt; Capsule does not define that service yet, so the API is absent rather than a stub that never answers";
        absent("getRecorderManager", "the microphone" + capture);
        absent("chooseImage", "a photo from the camera or the album" + capture);
        absent("chooseMedia", "a photo or video from the camera or the album" + capture);
        absent("scanCode", "the camera" + capture);
        String audio = "Capsule defines no host audio-output service yet (a session has no sound); an audio object whose play() "
                + "did nothing would be a stub";
        absent("createInnerAudioContext", audio);
        absent("getBackgroundAudioManager", audio + ", and background audio would also outlive the session that started it");
    }

    /** Entries by name; names are unique across styles (checked when the registry loads). */
    private static final Map<String, WxApi> BY_NAME = new LinkedHashMap<>();

    static {
        for (WxApi api : ALL) {
            if (BY_NAME.putIfAbsent(api.name(), api) != null) {
                throw new IllegalStateException("wx." + api.name() + " is registered twice");
            }
        }
        for (Absent a : ABSENT) {
            if (BY_NAME.containsKey(a.name())) {
                throw new IllegalStateException("wx." + a.name() + " is both registered and absent");
            }
        }
    }

    private Apis() {}

    // ---- registration (one line per API) ------------------------------------------------------

    private static void add(WxApi api) {
        ALL.add(api);
    }

    private static void absent(String name, String reason) {
        ABSENT.add(new Absent(name, reason));
    }

    /** Exists and fails with the reason (what it needs that Capsule does not have). */
    private static void unavailable(ApiGroup group, String name, Style style, String reason) {
        add(new WxApi(name, group, style, new Runs.Unavailable(reason), List.of(), null));
    }

    /** A policy API that answers without waiting for the user (storage, request, settings reads, toasts). */
    private static void hostAsync(ApiGroup group, String name, HostApi handler) {
        hostAsync(group, name, handler, Availability.ALWAYS);
    }

    /** The same, existing only with an optional host service (a device service that answers at once). */
    private static void hostAsync(ApiGroup group, String name, HostApi handler, Availability availability) {
        add(new WxApi(name, group, Style.ASYNC, new Runs.Host(handler, availability, false), List.of(), null));
    }

    /** A policy API that may wait for the user (a modal, a consent prompt, a sheet). */
    private static void prompting(ApiGroup group, String name, HostApi handler, Availability availability) {
        add(new WxApi(name, group, Style.ASYNC, new Runs.Host(handler, availability, true), List.of(), null));
    }

    /** A policy API that returns a task object (WeChat's SocketTask) whose methods are policy calls too. */
    private static void task(ApiGroup group, String name, HostApi handler, WxTask task) {
        hostAsync(group, name, handler);
        TASKS.put(name, task);
    }

    private static void hostSync(ApiGroup group, String name, HostApi handler, String... params) {
        add(new WxApi(name, group, Style.SYNC, new Runs.Host(handler, Availability.ALWAYS, false), List.of(params), null));
    }

    private static void localAsync(ApiGroup group, String name, LocalApi handler) {
        add(new WxApi(name, group, Style.ASYNC, new Runs.Local(handler), List.of(), null));
    }

    private static void localSync(ApiGroup group, String name, LocalApi handler, String... params) {
        add(new WxApi(name, group, Style.SYNC, new Runs.Local(handler), List.of(params), null));
    }

    private static void listeners(ApiGroup group, String on, String off, String channel) {
        listeners(group, on, off, channel, Availability.ALWAYS);
    }

    private static void listeners(ApiGroup group, String on, String off, String channel, Availability availability) {
        add(new WxApi(on, group, Style.ON, new Runs.Framework(channel, availability), List.of(), null));
        add(new WxApi(off, group, Style.OFF, new Runs.Framework(channel, availability), List.of(), null));
    }

    // ---- lookups --------------------------------------------------------------------------------

    /** Every registered API, in registry order. */
    static List<WxApi> all() {
        return List.copyOf(ALL);
    }

    private static WxApi called(String name, boolean sync) {
        WxApi api = BY_NAME.get(name);
        // A deferring API crosses the bridge as a synchronous call carrying its callback's id.
        return api != null && (sync ? api.style() == Style.SYNC || api.style() == Style.DEFER : api.style() == Style.ASYNC) ? api : null;
    }

    /** The policy API {@code name} called this way, or null if there is none or its host service is missing. */
    static HostApi host(String name, boolean sync, Capabilities capabilities) {
        int dot = name.indexOf('.');
        if (dot > 0) {
            return sync ? null : taskMethod(name.substring(0, dot), name.substring(dot + 1), capabilities);
        }
        WxApi api = called(name, sync);
        return api != null && api.runs() instanceof Runs.Host h && api.availableWith(capabilities) ? h.handler() : null;
    }

    /** Method {@code method} of the task that API {@code api} returns, if the session has that API. */
    private static HostApi taskMethod(String api, String method, Capabilities capabilities) {
        WxTask task = TASKS.get(api);
        WxApi owner = BY_NAME.get(api);
        return task != null && owner != null && owner.availableWith(capabilities) ? task.methods().get(method) : null;
    }

    /** The session-local API {@code name} called this way, or null (an unavailable API runs here too: it fails with its reason). */
    static LocalApi local(String name, boolean sync) {
        WxApi api = called(name, sync);
        return api == null ? null : switch (api.runs()) {
            case Runs.Local l -> l.handler();
            case Runs.Unavailable u -> (session, args) -> ApiOutcome.fail(u.reason());
            case Runs.Host h -> null;
            case Runs.Framework f -> null;
            case Runs.Builder b -> b.exec();
        };
    }

    /** The session-local API {@code name} called this way, or null if there is none or the session's launch does not allow its group. */
    static LocalApi local(String name, boolean sync, Capabilities capabilities) {
        WxApi api = called(name, sync);
        return api != null && api.availableWith(capabilities) ? local(name, sync) : null;
    }

    /** True if policy API {@code name} answers without waiting for the user. */
    static boolean neverPrompts(String name) {
        int dot = name.indexOf('.');
        if (dot > 0) {
            return TASKS.containsKey(name.substring(0, dot)); // a task's methods never wait for the user
        }
        WxApi api = BY_NAME.get(name);
        return api != null && api.runs() instanceof Runs.Host h && !h.mayPrompt();
    }

    /**
     * Read-only, for the automated review: every wx member name Capsule provides when the host has
     * every service (what {@code wx} can have at most).
     */
    public static SortedSet<String> providedNames() {
        return Collections.unmodifiableSortedSet(members(Capabilities.everything()));
    }

    /** Read-only, for the automated review: why {@code name} is absent by decision, if it is. */
    public static Optional<String> absentReason(String name) {
        return ABSENT.stream().filter(a -> a.name().equals(name)).map(Absent::reason).findFirst();
    }

    /** Read-only, for the automated review: why {@code name} exists but fails for now, if it does. */
    public static Optional<String> unavailableReason(String name) {
        WxApi api = BY_NAME.get(name);
        return api != null && api.runs() instanceof Runs.Unavailable u ? Optional.of(u.reason()) : Optional.empty();
    }

    /** Every API absent by decision, in registry order. */
    static List<Absent> absent() {
        return List.copyOf(ABSENT);
    }

    /** Read-only, for the automated review: the names of the personal-data APIs (spec §3: need a privacy declaration). */
    public static SortedSet<String> personalDataNames() {
        TreeSet<String> names = new TreeSet<>();
        ALL.stream().filter(a -> a.group() == ApiGroup.PERSONAL_DATA).forEach(a -> names.add(a.name()));
        return Collections.unmodifiableSortedSet(names);
    }

    /** True if a session with these capabilities has the listener APIs of framework channel {@code channel}. */
    static boolean channelAvailable(String channel, Capabilities capabilities) {
        return ALL.stream().anyMatch(a -> a.runs() instanceof Runs.Framework f && f.channel().equals(channel) && a.availableWith(capabilities));
    }

    /** Every wx member a session with these capabilities has (the unavailable APIs too: they exist and fail). */
    static TreeSet<String> members(Capabilities capabilities) {
        TreeSet<String> names = new TreeSet<>();
        ALL.stream().filter(a -> a.availableWith(capabilities)).forEach(a -> names.add(a.name()));
        return names;
    }

    /** Every wx API that works in a session with these capabilities (what canIUse answers from; not the unavailable ones). */
    static TreeSet<String> names(Capabilities capabilities) {
        TreeSet<String> names = new TreeSet<>();
        ALL.stream().filter(a -> a.usableWith(capabilities)).forEach(a -> names.add(a.name()));
        return names;
    }

    /**
     * What the framework builds {@code wx} from: {@code [{name, style, params?, buffer?, channel?}]}
     * for the APIs this session has.
     */
    static ArrayNode tableJson(Capabilities capabilities) {
        ArrayNode table = Json.mapper().createArrayNode();
        for (WxApi api : ALL) {
            if (!api.availableWith(capabilities)) {
                continue;
            }
            ObjectNode o = table.addObject().put("name", api.name()).put("style", api.style().wireName);
            if (!api.params().isEmpty()) {
                api.params().forEach(o.putArray("params")::add);
            }
            if (api.bufferField() != null) {
                o.put("buffer", api.bufferField());
            }
            if (api.runs() instanceof Runs.Framework f) {
                o.put("channel", f.channel());
            }
            if (api.runs() instanceof Runs.Builder b) {
                o.put("builder", b.builder());
            }
            WxTask task = TASKS.get(api.name());
            if (task != null) {
                ObjectNode t = o.putObject("task");
                task.methods().keySet().forEach(t.putArray("methods")::add);
                task.events().forEach(t.putArray("events")::add);
                if (task.bufferField() != null) {
                    t.put("buffer", task.bufferField());
                }
            }
        }
        return table;
    }

    private static String taskText(String name) {
        WxTask task = TASKS.get(name);
        if (task == null) {
            return "";
        }
        return ", returns a `" + task.type() + "` (" + String.join(", ", task.methods().keySet().stream().map(m -> "`" + m + "`").toList()) + "; "
                + String.join(", ", task.events().stream().map(e -> "`on" + Character.toUpperCase(e.charAt(0)) + e.substring(1) + "`").toList()) + ")";
    }

    /**
     * The API table of docs/runtime.md, one row per API: the registered ones (real, or unavailable
     * with the reason), then the ones absent by decision with theirs.
     */
    static String markdownTable() {
        StringBuilder md = new StringBuilder("| API | status | group | call | runs in | waits for the user | exists | why |\n"
                + "|---|---|---|---|---|---|---|---|\n");
        for (WxApi api : ALL) {
            String call = switch (api.style()) {
                case ASYNC -> "async" + (api.bufferField() == null ? "" : ", `" + api.bufferField() + "` as an `ArrayBuffer`") + taskText(api.name());
                case SYNC -> api.runs() instanceof Runs.Builder ? "sync, returns a framework-built object" : "sync `(" + String.join(", ", api.params()) + ")`";
                case DEFER -> "defer `(fn)`";
                case ON, OFF -> api.style().wireName + " listener";
            };
            String runs = switch (api.runs()) {
                case Runs.Host h -> "host";
                case Runs.Local l -> "session";
                case Runs.Framework f -> "framework (`" + f.channel() + "` listeners)";
                case Runs.Unavailable u -> "session";
                case Runs.Builder b -> b.exec() == null ? "framework (`" + b.builder() + "` builder)"
                        : "framework (`" + b.builder() + "` builder), its `exec` in the session";
            };
            String status = api.runs() instanceof Runs.Unavailable ? "unavailable" : "real";
            String why = api.runs() instanceof Runs.Unavailable u ? (api.style() == Style.SYNC ? "throws: " : "fails: ") + u.reason() : "";
            boolean prompts = api.runs() instanceof Runs.Host h && h.mayPrompt();
            md.append("| `wx.").append(api.name()).append("` | ").append(status).append(" | ").append(api.group().title()).append(" | ")
                    .append(call).append(" | ").append(runs).append(" | ").append(prompts ? "may" : "no").append(" | ")
                    .append(api.availability().description).append(" | ").append(why).append(" |\n");
        }
        for (Absent a : ABSENT) {
            md.append("| `wx.").append(a.name()).append("` | absent by decision | | | | | never | ").append(a.reason()).append(" |\n");
        }
        return md.toString();
    }
}
