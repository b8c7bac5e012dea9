package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.net.TestNetwork;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The guest owns its {@code wx}, {@code console}, {@code App}/{@code Page} bindings and WeChat's
 * {@code global}, the same way in both tiers: it may wrap, add and delete members (as real apps do),
 * and that only changes what its own code calls. Policy is decided by the host for every call, so
 * a wrapped request to an allowlisted host still works and one to any other host is still denied
 * with the same {@code fail}, and no replacement of wx reaches the network past a denial.
 */
class GuestOwnedWxTest {
    private static final List<AuditEvent> AUDIT = new CopyOnWriteArrayList<>();
    private static final Map<Isolation, Harness> HARNESSES = new EnumMap<>(Isolation.class);
    private static TestNetwork network;

    @BeforeAll
    static void start() {
        network = TestNetwork.start();
        HostServices services = HostServices.defaults().withAudit(AUDIT::add);
        for (Isolation tier : Isolation.values()) {
            HARNESSES.put(tier, new Harness(tier, services, RuntimeLimits.DEFAULTS, network.client(), false,
                    WorkerLimits.DEFAULTS.withWorkers(8, 2)));
        }
    }

    @AfterAll
    static void stop() {
        HARNESSES.values().forEach(Harness::close);
        network.close();
    }

    /** app.js wraps wx.request with defineProperty, adds a member, deletes one and writes to global. */
    private static final String APP = """
            const original = wx.request;
            let wrapped = 0;
            Object.defineProperty(wx, 'request', { value: function request(o) { wrapped++; return original.call(this, o); },
              writable: true, enumerable: true, configurable: true });
            wx.myHelper = () => 'mine';
            delete wx.getLocation;
            global.shared = { from: 'app' };
            const realPage = Page;
            Page = function (definition) { definition.mixedIn = true; return realPage(definition); };
            App({ original, wrapped: () => wrapped });
            """;

    /** utils/g.js: another module, handing back its own view of global. */
    private static final String MODULE = "module.exports = { g: global, fromApp: global.shared && global.shared.from };";

    private static String page(String allowed, String denied) {
        return """
                const m = require('../../utils/g.js');
                const log = (...a) => console.log(a.join(' '));
                Page({ onLoad() {
                  log('global', typeof global, m.g === global, global === globalThis, m.fromApp, this.mixedIn === true);
                  log('host', typeof global.Java, typeof global.Polyglot, typeof global.Graal, typeof global.Packages, typeof global.host,
                    Object.getOwnPropertyNames(global).filter(n => /^(Java|Polyglot|Graal|Packages|host|bridge|framework)$/.test(n)).length);
                  log('members', wx.myHelper(), 'getLocation' in wx, Object.isExtensible(wx), Object.isFrozen(console));
                  (function () { 'use strict'; const inner = wx.request; wx.request = function (o) { log('assigned wrapper'); return inner(o); }; })();
                  const app = getApp();
                  wx.request({ url: '%1$s', success(r) { log('allowed', r.statusCode, r.data, 'wrapped', app.wrapped()) } });
                  wx.request({ url: '%2$s', fail(e) { log('wrapped denied', e.errMsg) } });
                  app.original({ url: '%2$s', fail(e) { log('original denied', e.errMsg) } });
                } })
                """.formatted(allowed, denied);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void wrappedAddedAndDeletedMembersOnlyChangeTheGuestsOwnCallsAndPolicyStillDecides(Isolation tier) {
        network.respond("/owned-" + tier, 200, "text/plain", "fine");
        String allowed = network.url("/owned-" + tier);
        String denied = network.url("cdn.example.com", "/owned-" + tier);
        int before = network.requestCount();
        var pkg = TestApps.app("app.js", APP, "utils/g.js", MODULE, "pages/index/index.js", page(allowed, denied));
        try (var run = HARNESSES.get(tier).run(pkg, "owned-" + tier)) {
            List<String> logs = run.events().logs();
            assertThat(logs).contains("global object true true app true", "host undefined undefined undefined undefined undefined 0",
                    "members mine false true false", "allowed 200 fine wrapped 2", "assigned wrapper")
                    .anyMatch(l -> l.startsWith("wrapped denied request:fail "));
            String wrappedFail = logs.stream().filter(l -> l.startsWith("wrapped denied ")).findFirst().orElseThrow().substring("wrapped ".length());
            assertThat(logs).as("the same fail as the untouched original").contains("original " + wrappedFail);
            assertThat(run.events().apis("request")).hasSize(3).filteredOn(a -> a.ok()).hasSize(1);
        }
        assertThat(network.requestCount()).as("only the allowed request reached the network").isEqualTo(before + 1);
        assertThat(AUDIT).filteredOn(a -> a.action().equals("wx.request") && a.outcome().equals("denied") && a.detail().contains("cdn.example.com"))
                .hasSizeGreaterThanOrEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Isolation.class)
    void replacingOrDeletingWxCannotBypassADenial(Isolation tier) {
        // Every way a guest can rebuild wx leaves it with either its own code (no network) or the host's
        // policy-checked call: nothing it writes to wx, global or a prototype is read back by the framework.
        String denied = network.url("cdn.example.com", "/bypass-" + tier);
        String script = """
                const log = (...a) => console.log(a.join(' '));
                const saved = wx.request;
                delete wx.request;
                Object.prototype.request = function () { log('prototype request') };
                wx.request = function (o) { log('fake request'); o.success({ statusCode: 200 }); };
                wx = { request: saved };
                global.wx = wx;
                Object.defineProperty(globalThis, 'wx', { value: { request: saved }, writable: true, configurable: true });
                Page({ onLoad() {
                  wx.request({ url: '%1$s', success() { log('bypassed') }, fail(e) { log('denied', e.errMsg) } });
                  saved.call({ allow: true }, { url: '%1$s', fail(e) { log('saved denied', e.errMsg) } });
                } })
                """.formatted(denied);
        int before = network.requestCount();
        try (var run = HARNESSES.get(tier).run(TestApps.page(script), "bypass-" + tier)) {
            assertThat(run.events().logs()).doesNotContain("bypassed", "fake request", "prototype request")
                    .anyMatch(l -> l.startsWith("denied request:fail ")).anyMatch(l -> l.startsWith("saved denied request:fail "));
            assertThat(run.events().apis("request")).hasSize(2).allSatisfy(a -> assertThat(a.ok()).isFalse());
        }
        assertThat(network.requestCount()).isEqualTo(before);
    }

    @Test
    void theOldFrozenWxIsGone() {
        // Would fail on the old framework, where wx was frozen and a non-writable, non-configurable global.
        String script = "const d = Object.getOwnPropertyDescriptor(globalThis, 'wx');"
                + "console.log('wx ' + Object.isFrozen(wx) + ' ' + d.writable + ' ' + d.configurable);"
                + "Page({})";
        try (var run = HARNESSES.get(Isolation.IN_PROCESS).run(TestApps.page(script), "unfrozen")) {
            assertThat(run.events().logs()).contains("wx false true true");
        }
    }
}
