package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.host.AuditSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.TreeMap;
import org.graalvm.polyglot.Engine;
import tools.jackson.databind.JsonNode;

/**
 * Runs one built-in mini-program through a whole session before a worker says HELLO, so the first
 * real launch finds the session's classes loaded and its code paths exercised: a pooled launch then
 * costs what a launch costs in a warm process. Its wx policy calls fail locally; nothing leaves the worker.
 */
final class WorkerWarmUp {
    /** Rounds of the warm-up app's handler: enough for the JVM to compile the hot bridge paths. */
    static final int ROUNDS = 30;
    static final Duration IDLE_WAIT = Duration.ofSeconds(20);

    private static final String MANIFEST = """
            {"id":"dev.capsule.warmup","version":"1.0.0","name":"Warm-up","developer":{"id":"capsule","name":"Capsule"}}""";
    private static final String PAGE = """
            const util = require('../../util.js');
            Page({
              data: { n: 0, items: [] },
              onLoad(q) { this.setData({ n: util.inc(this.data.n) }); },
              onShow() { setTimeout(() => this.setData({ items: [1, 2, 3] }), 0); },
              tap(e) {
                console.log('tap ' + e.detail.i);
                wx.getSystemInfoSync(); wx.canIUse('request');
                wx.setStorageSync('k', { v: e.detail.i });
                wx.showToast({ title: 't', fail() {} });
                this.setData({ n: this.data.n + 1, ['items[' + (e.detail.i % 3) + ']']: { t: 'x'.repeat(8) } });
              }
            });
            """;

    private static final String TEMPLATE = """
            <wxs module="m">module.exports = { f: function (s) { return s + getDate(0).getTime(); } };</wxs>
            <view id="root" class="a {{n % 2 ? 'odd' : 'even'}}" style="color: {{n > 1 ? 'red' : 'blue'}}" data-n="{{n}}">
              <text>{{m.f('n=')}} {{n}}</text>
              <block wx:for="{{items}}" wx:key="*this"><item value="{{index}}" bind:ping="tap">{{item.t || item}}</item></block>
              <view wx:if="{{n > 3}}">more</view><view wx:else>less</view>
              <button id="b" bindtap="tap">b</button>
            </view>
            """;
    private static final String ITEM = """
            Component({
              properties: { value: { type: Number, value: 0, observer() {} } },
              observers: { value(v) {} },
              lifetimes: { attached() {}, detached() {} },
              methods: { ping() { this.triggerEvent('ping', { i: this.data.value }); } }
            });
            """;

    private WorkerWarmUp() {}

    static void run(Engine engine, Watchdog watchdog) {
        CapsulePackage pkg;
        try {
            var files = new TreeMap<String, byte[]>();
            files.put("capsule.json", bytes(MANIFEST));
            files.put("app.json", bytes("{\"pages\":[\"pages/index/index\"]}"));
            files.put("app.js", bytes("App({ onLaunch() {}, onShow() {} })"));
            files.put("util.js", bytes("module.exports = { inc: n => n + 1 };"));
            files.put("pages/index/index.js", bytes(PAGE));
            // The view: a template with WXS, a list, a custom component and styles, so the first real render
            // finds the view's classes loaded (their first use costs over a second, all of it inside one event).
            files.put("pages/index/index.json", bytes("{\"usingComponents\":{\"item\":\"/components/item/item\"}}"));
            files.put("pages/index/index.wxml", bytes(TEMPLATE));
            files.put("pages/index/index.wxss", bytes(".a { color: red; width: 100rpx; } .b:hover { margin: 0 }"));
            files.put("components/item/item.json", bytes("{\"component\":true}"));
            files.put("components/item/item.wxml", bytes("<view class=\"i\" bindtap=\"ping\" data-v=\"{{value}}\">{{value}}<slot></slot></view>"));
            files.put("components/item/item.wxss", bytes(":host { display: block } .i { padding: 2rpx }"));
            files.put("components/item/item.js", bytes(ITEM));
            pkg = PackageReader.read(Packer.pack(files, PackageLimits.DEFAULTS));
        } catch (PackageException e) {
            throw new IllegalStateException("the built-in warm-up app does not pack: " + e.getMessage(), e);
        }
        HostApis local = new HostApis() {
            @Override
            public Capabilities capabilities() {
                return Capabilities.noServices();
            }

            @Override
            public ApiOutcome invoke(String name, boolean sync, JsonNode args) {
                return ApiOutcome.fail("not available");
            }
        };
        Session session = new Session(pkg, false, "warm-up", RuntimeLimits.DEFAULTS, s -> local, AuditSink.NONE, e -> { }, Session::localViews,
                engine, watchdog, () -> { });
        try {
            session.start(dev.capsule.runtime.LaunchOptions.DEFAULT);
            for (int i = 0; i < ROUNDS; i++) {
                session.dispatch("tap", null, "{\"detail\":{\"i\":" + i + "}}");
            }
            session.awaitIdle(IDLE_WAIT);
            var button = session.view().map(v -> v.select("#b")).orElse(java.util.List.of());
            for (int i = 0; i < ROUNDS && !button.isEmpty(); i++) {
                session.dispatchView(new dev.capsule.runtime.view.ViewEvent(button.getFirst(), "tap",
                        Json.object().set("i", Json.mapper().getNodeFactory().numberNode(i))));
            }
            session.awaitIdle(IDLE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session.close();
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
