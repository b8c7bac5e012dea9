package dev.capsule.runtime.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wx APIs Capsule provides (spec §3), where each runs (policy APIs in the host, session-local
 * APIs beside the engine) and when each exists. An API whose host service is missing
 * is absent ({@code wx.login === undefined}), never a stub; the framework installs exactly this list.
 */
final class Apis {
    private record Host(HostApi api, Predicate<Capabilities> available) {}

    private static final Predicate<Capabilities> ALWAYS = c -> true;
    private static final Map<String, Host> HOST_ASYNC = new LinkedHashMap<>();
    private static final Map<String, Host> HOST_SYNC = new LinkedHashMap<>();
    private static final Map<String, LocalApi> LOCAL_ASYNC = new LinkedHashMap<>();
    private static final Map<String, LocalApi> LOCAL_SYNC = new LinkedHashMap<>();

    static {
        host("setStorage", StorageApis::set);
        host("getStorage", StorageApis::get);
        host("removeStorage", StorageApis::remove);
        host("clearStorage", StorageApis::clear);
        host("getStorageInfo", StorageApis::info);
        hostSync("setStorageSync", StorageApis::setSync);
        hostSync("getStorageSync", StorageApis::getSync);
        hostSync("removeStorageSync", StorageApis::removeSync);
        hostSync("clearStorageSync", StorageApis::clearSync);
        hostSync("getStorageInfoSync", StorageApis::infoSync);

        host("request", NetworkApis::request);

        LOCAL_ASYNC.put("navigateTo", NavigationApis::navigateTo);
        LOCAL_ASYNC.put("redirectTo", NavigationApis::redirectTo);
        LOCAL_ASYNC.put("navigateBack", NavigationApis::navigateBack);
        LOCAL_ASYNC.put("switchTab", NavigationApis::switchTab);
        LOCAL_ASYNC.put("reLaunch", NavigationApis::reLaunch);

        host("showToast", UiApis::showToast);
        host("showLoading", UiApis::showLoading);
        host("hideLoading", UiApis::hideLoading);
        host("showModal", UiApis::showModal);
        host("showActionSheet", UiApis::showActionSheet);
        host("setNavigationBarTitle", UiApis::setNavigationBarTitle);

        LOCAL_ASYNC.put("getSystemInfo", SystemApis::systemInfoAsync);
        LOCAL_SYNC.put("getSystemInfoSync", SystemApis::systemInfo);
        LOCAL_SYNC.put("getWindowInfo", SystemApis::windowInfo);
        LOCAL_SYNC.put("getAppBaseInfo", SystemApis::appBaseInfo);
        LOCAL_SYNC.put("getDeviceInfo", SystemApis::deviceInfo);
        LOCAL_SYNC.put("getAccountInfoSync", SystemApis::accountInfo);
        LOCAL_ASYNC.put("getRandomValues", SystemApis::randomValues);
        LOCAL_SYNC.put("canIUse", SystemApis::canIUse);
        LOCAL_SYNC.put("onThemeChange", SystemApis::themeListenersAreLocal);

        host("getSetting", SettingsApis::getSetting);
        host("authorize", SettingsApis::authorize);
        host("openSetting", SettingsApis::openSetting);
        host("getPrivacySetting", SettingsApis::getPrivacySetting);
        host("requirePrivacyAuthorize", SettingsApis::requirePrivacyAuthorize);

        HOST_ASYNC.put("login", new Host(IdentityApis::login, Capabilities::identity));
        host("getLocation", PersonalDataApis::getLocation);
        host("getUserProfile", PersonalDataApis::getUserProfile);
        HOST_ASYNC.put("requestPayment", new Host(PaymentApis::requestPayment, Capabilities::payment));
    }

    private Apis() {}

    private static void host(String name, HostApi api) {
        HOST_ASYNC.put(name, new Host(api, ALWAYS));
    }

    private static void hostSync(String name, HostApi api) {
        HOST_SYNC.put(name, new Host(api, ALWAYS));
    }

    /** The policy API {@code name}, or null if there is none or its host service is missing. */
    static HostApi host(String name, boolean sync, Capabilities capabilities) {
        Host h = (sync ? HOST_SYNC : HOST_ASYNC).get(name);
        return h != null && h.available().test(capabilities) ? h.api() : null;
    }

    /** Policy APIs that never wait for the user (no prompt, no sheet): storage, request (answered later), settings reads, toasts. */
    private static final java.util.Set<String> NEVER_PROMPT = java.util.Set.of("setStorage", "getStorage", "removeStorage", "clearStorage",
            "getStorageInfo", "setStorageSync", "getStorageSync", "removeStorageSync", "clearStorageSync", "getStorageInfoSync", "request",
            "getSetting", "getPrivacySetting", "showToast", "showLoading", "hideLoading", "setNavigationBarTitle");

    /** True if policy API {@code name} answers without waiting for the user. */
    static boolean neverPrompts(String name) {
        return NEVER_PROMPT.contains(name);
    }

    /** The session-local API {@code name}, or null. */
    static LocalApi local(String name, boolean sync) {
        return (sync ? LOCAL_SYNC : LOCAL_ASYNC).get(name);
    }

    /** Every wx member a session with these capabilities has, for canIUse: async, sync and the framework's own (offThemeChange). */
    static TreeSet<String> names(Capabilities capabilities) {
        TreeSet<String> names = new TreeSet<>();
        names.addAll(async(capabilities));
        names.addAll(sync(capabilities));
        names.add("offThemeChange");
        return names;
    }

    private static List<String> async(Capabilities capabilities) {
        List<String> names = new ArrayList<>(LOCAL_ASYNC.keySet());
        HOST_ASYNC.forEach((n, h) -> { if (h.available().test(capabilities)) names.add(n); });
        return names;
    }

    private static List<String> sync(Capabilities capabilities) {
        List<String> names = new ArrayList<>(LOCAL_SYNC.keySet());
        HOST_SYNC.forEach((n, h) -> { if (h.available().test(capabilities)) names.add(n); });
        return names;
    }

    /** {"async":[…],"sync":[…]}: what the framework installs on wx. */
    static String listJson(Capabilities capabilities) {
        ObjectNode root = Json.object();
        ArrayNode async = root.putArray("async");
        ArrayNode sync = root.putArray("sync");
        async(capabilities).forEach(async::add);
        sync(capabilities).forEach(sync::add);
        return Json.write(root);
    }
}
