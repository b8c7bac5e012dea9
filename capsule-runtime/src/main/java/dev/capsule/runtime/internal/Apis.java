package dev.capsule.runtime.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wx APIs Capsule provides (spec §3) and when each exists. An API whose host service is missing
 * is absent ({@code wx.login === undefined}), never a stub; the framework installs exactly this list.
 */
final class Apis {
    private record Api(ApiHandler handler, Predicate<Session> available) {}

    private static final Predicate<Session> ALWAYS = s -> true;
    private static final Map<String, Api> ASYNC = new LinkedHashMap<>();
    private static final Map<String, Api> SYNC = new LinkedHashMap<>();

    static {
        async("setStorage", StorageApis::set);
        async("getStorage", StorageApis::get);
        async("removeStorage", StorageApis::remove);
        async("clearStorage", StorageApis::clear);
        async("getStorageInfo", StorageApis::info);
        sync("setStorageSync", StorageApis::setSync);
        sync("getStorageSync", StorageApis::getSync);
        sync("removeStorageSync", StorageApis::removeSync);
        sync("clearStorageSync", StorageApis::clearSync);
        sync("getStorageInfoSync", StorageApis::infoSync);

        async("request", NetworkApis::request);

        async("navigateTo", NavigationApis::navigateTo);
        async("redirectTo", NavigationApis::redirectTo);
        async("navigateBack", NavigationApis::navigateBack);
        async("switchTab", NavigationApis::switchTab);
        async("reLaunch", NavigationApis::reLaunch);

        async("showToast", UiApis::showToast);
        async("showLoading", UiApis::showLoading);
        async("hideLoading", UiApis::hideLoading);
        async("showModal", UiApis::showModal);
        async("showActionSheet", UiApis::showActionSheet);
        async("setNavigationBarTitle", UiApis::setNavigationBarTitle);

        async("getSystemInfo", SystemApis::systemInfoAsync);
        sync("getSystemInfoSync", SystemApis::systemInfo);
        sync("getWindowInfo", SystemApis::windowInfo);
        sync("getAppBaseInfo", SystemApis::appBaseInfo);
        sync("getDeviceInfo", SystemApis::deviceInfo);
        sync("getAccountInfoSync", SystemApis::accountInfo);
        async("getRandomValues", SystemApis::randomValues);
        sync("canIUse", SystemApis::canIUse);
        sync("onThemeChange", SystemApis::themeListenersAreLocal);

        async("getSetting", SettingsApis::getSetting);
        async("authorize", SettingsApis::authorize);
        async("openSetting", SettingsApis::openSetting);
        async("getPrivacySetting", SettingsApis::getPrivacySetting);
        async("requirePrivacyAuthorize", SettingsApis::requirePrivacyAuthorize);

        ASYNC.put("login", new Api(IdentityApis::login, s -> s.services.identity().isPresent()));
        async("getLocation", PersonalDataApis::getLocation);
        async("getUserProfile", PersonalDataApis::getUserProfile);
        ASYNC.put("requestPayment", new Api(PaymentApis::requestPayment, s -> s.services.payment().isPresent()));
    }

    private Apis() {}

    private static void async(String name, ApiHandler handler) {
        ASYNC.put(name, new Api(handler, ALWAYS));
    }

    private static void sync(String name, ApiHandler handler) {
        SYNC.put(name, new Api(handler, ALWAYS));
    }

    static ApiHandler async(Session session, String name) {
        Api api = ASYNC.get(name);
        return api != null && api.available().test(session) ? api.handler() : null;
    }

    static ApiHandler sync(Session session, String name) {
        Api api = SYNC.get(name);
        return api != null && api.available().test(session) ? api.handler() : null;
    }

    /** Every wx member this session has, for canIUse: async, sync and the framework's own (offThemeChange). */
    static TreeSet<String> names(Session session) {
        TreeSet<String> names = new TreeSet<>();
        ASYNC.forEach((n, a) -> { if (a.available().test(session)) names.add(n); });
        SYNC.forEach((n, a) -> { if (a.available().test(session)) names.add(n); });
        names.add("offThemeChange");
        return names;
    }

    /** {"async":[…],"sync":[…]}: what the framework installs on wx. */
    static String listJson(Session session) {
        ObjectNode root = Json.object();
        ArrayNode async = root.putArray("async");
        ArrayNode sync = root.putArray("sync");
        ASYNC.forEach((n, a) -> { if (a.available().test(session)) async.add(n); });
        SYNC.forEach((n, a) -> { if (a.available().test(session)) sync.add(n); });
        return Json.write(root);
    }
}
