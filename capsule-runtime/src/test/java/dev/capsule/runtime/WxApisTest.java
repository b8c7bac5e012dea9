package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.host.AuditEvent;
import dev.capsule.runtime.host.HostUi;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.host.PaymentSheet;
import dev.capsule.runtime.host.PersonalDataProvider;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every wx API except request (see RequestApiTest): behaviour, policy, and absence when the host lacks the service. */
class WxApisTest {
    private final List<AuditEvent> audit = new CopyOnWriteArrayList<>();
    private Harness harness;

    private Harness harness(HostServices services) {
        harness = new Harness(services.withAudit(audit::add), RuntimeLimits.DEFAULTS);
        return harness;
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    private static String onLoad(String body) {
        return "Page({onLoad(){ " + body + " }})";
    }

    @Test
    void storageRoundTripsSyncAsyncAndPromise() {
        String body = "wx.setStorageSync('a', {x:[1,2]}); console.log(JSON.stringify(wx.getStorageSync('a')));"
                + " console.log('missing=' + JSON.stringify(wx.getStorageSync('nope')));"
                + " wx.setStorage({key:'b', data:'text', success(){ wx.getStorage({key:'b', success(r){ console.log('async ' + r.data + ' ' + r.errMsg) }}) }});"
                + " wx.getStorage({key:'nope'}).catch(e => console.log('promise ' + e.errMsg));"
                + " wx.getStorageInfo({success(i){ console.log('info ' + i.keys.length + ' ' + i.limitSize) }});"
                + " wx.removeStorageSync('a'); console.log('after remove=' + JSON.stringify(wx.getStorageSync('a')));";
        try (var run = harness(HostServices.defaults()).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("{\"x\":[1,2]}", "missing=\"\"", "async text getStorage:ok",
                    "promise getStorage:fail data not found", "after remove=\"\"");
            assertThat(run.events().logs()).anyMatch(l -> l.matches("info [12] 10240"));
        }
    }

    @Test
    void storageIsIsolatedPerUserAndPerApp() {
        harness(HostServices.defaults());
        try (var first = harness.run(TestApps.page(onLoad("wx.setStorageSync('k', 'alice')")), "alice")) {
            assertThat(first.events().apis("setStorageSync").getFirst().ok()).isTrue();
        }
        try (var other = harness.run(TestApps.page(onLoad("console.log('bob sees ' + JSON.stringify(wx.getStorageSync('k')))")), "bob")) {
            assertThat(other.events().logs()).contains("bob sees \"\"");
        }
        String otherApp = TestApps.MANIFEST.replace("com.example.test", "com.example.other");
        try (var app = harness.run(TestApps.app("capsule.json", otherApp, "pages/index/index.js",
                onLoad("console.log('other app sees ' + JSON.stringify(wx.getStorageSync('k')))")), "alice")) {
            assertThat(app.events().logs()).contains("other app sees \"\"");
        }
        try (var again = harness.run(TestApps.page(onLoad("console.log('alice sees ' + wx.getStorageSync('k'))")), "alice")) {
            assertThat(again.events().logs()).contains("alice sees alice");
        }
    }

    @Test
    void syncApiFailureThrowsACatchableError() {
        String body = "try { wx.setStorageSync('', 1) } catch (e) { console.log('caught ' + e.message) }";
        try (var run = harness(HostServices.defaults()).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("caught setStorageSync:fail parameter error: key must be a non-empty string");
        }
    }

    @Test
    void hostUiIsRenderedByTheHostAndAnswered() {
        HostUi ui = HostUi.answering(true, 1);
        String body = "wx.showToast({title:'Saved'}); wx.showLoading({title:'…'}); wx.hideLoading(); wx.setNavigationBarTitle({title:'T'});"
                + " wx.showModal({title:'Delete?', content:'Sure', success(r){ console.log('modal ' + r.confirm) }});"
                + " wx.showActionSheet({itemList:['a','b'], success(r){ console.log('sheet ' + r.tapIndex) }});";
        try (var run = harness(HostServices.defaults().withUi(ui)).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("modal true", "sheet 1");
            assertThat(run.events().of(RuntimeEvent.Ui.class)).extracting(RuntimeEvent.Ui::kind)
                    .containsExactly("showToast", "showLoading", "hideLoading", "showModal", "showActionSheet"); // the title is a chrome op (ViewChromeTest)
        }
    }

    @Test
    void systemInfoIsCoarseAndCanIUseIsTruthful() {
        String body = "const i = wx.getSystemInfoSync(); console.log(i.brand + ' ' + i.model + ' ' + i.windowWidth);"
                + " console.log('acct ' + wx.getAccountInfoSync().miniProgram.appId);"
                + " console.log('can ' + wx.canIUse('request') + ' ' + wx.canIUse('wx.getStorageSync') + ' ' + wx.canIUse('login') + ' ' + wx.canIUse('openBluetoothAdapter'));"
                + " wx.getRandomValues({length: 16, success(r){ console.log('random ' + (r.randomValues instanceof ArrayBuffer) + ' ' + r.randomValues.byteLength) }});"
                + " console.log('absent ' + typeof wx.openBluetoothAdapter + ' ' + typeof wx.login + ' ' + typeof wx.requestPayment + ' ' + typeof Component);";
        try (var run = harness(HostServices.defaults()).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("Capsule Capsule 375", "acct com.example.test", "can true true false false",
                    "random true 16", "absent undefined undefined undefined function");
        }
    }

    @Test
    void personalDataNeedsDeclarationAndConsent() {
        var ledger = new InMemoryConsentLedger();
        PersonalDataProvider device = new PersonalDataProvider() {
            @Override
            public Optional<Location> location(String appId, String userId) {
                return Optional.of(new Location(31.2, 121.5, 50));
            }

            @Override
            public Optional<UserProfile> userProfile(String appId, String userId) {
                return Optional.of(new UserProfile("Ann", "https://img.example.com/a.png"));
            }
        };
        List<String> asked = new CopyOnWriteArrayList<>();
        HostServices services = HostServices.defaults().withPersonalData(device)
                .withConsent((app, user, scope, purpose) -> asked.add(scope + ":" + purpose) && scope.equals("scope.userLocation"), ledger);
        String body = "wx.getLocation({success(r){ console.log('loc ' + r.latitude) }, fail(e){ console.log('loc ' + e.errMsg) }});"
                + " wx.getUserProfile({desc:'show name', success(r){ console.log('profile ' + r.userInfo.nickName) }, fail(e){ console.log('profile ' + e.errMsg) }});"
                + " wx.getSetting({success(s){ console.log('setting ' + JSON.stringify(s.authSetting)) }});";
        try (var run = harness(services).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("loc 31.2", "profile getUserProfile:fail wx.getUserProfile is not declared in capsule.json privacy");
            assertThat(asked).containsExactly("scope.userLocation:Show nearby stores");
            assertThat(run.events().logs()).contains("setting {\"scope.userLocation\":true}");
        }
        assertThat(audit).anyMatch(a -> a.action().equals("wx.getLocation") && a.outcome().equals("read"));
        assertThat(audit).anyMatch(a -> a.action().equals("wx.getUserProfile") && a.outcome().equals("denied"));
        // Consent is remembered; revoking it makes the next call ask again, and refusal denies.
        ledger.record("com.example.test", "user-1", new ConsentLedger.Topic("scope.userLocation", "Show nearby stores",
                TestApps.privacyOf(TestApps.MANIFEST)), false);
        try (var run = harness.run(TestApps.page(onLoad("wx.getLocation({fail(e){ console.log('again ' + e.errMsg) }})")))) {
            assertThat(run.events().logs()).contains("again getLocation:fail auth deny");
        }
    }

    @Test
    void authorizeAndPrivacyAgreementGoThroughTheHost() {
        HostServices services = HostServices.defaults().withConsent((app, user, scope, purpose) -> true, new InMemoryConsentLedger());
        String body = "wx.getPrivacySetting({success(r){ console.log('need ' + r.needAuthorization) }});"
                + " wx.requirePrivacyAuthorize({success(){ wx.getPrivacySetting({success(r){ console.log('need now ' + r.needAuthorization) }}) }});"
                + " wx.authorize({scope:'scope.userLocation', success(){ console.log('authorized') }});"
                + " wx.authorize({scope:'scope.camera', fail(e){ console.log(e.errMsg) }});";
        try (var run = harness(services).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("need true", "need now false", "authorized", "authorize:fail invalid scope scope.camera");
        }
    }

    @Test
    void loginExistsOnlyWithAnIdentityProvider() {
        HostServices services = HostServices.defaults().withIdentity((app, user) -> "code-for-" + app);
        try (var run = harness(services).run(TestApps.page(onLoad("wx.login({success(r){ console.log(r.code) }})")))) {
            assertThat(run.events().logs()).contains("code-for-com.example.test");
        }
        assertThat(audit).anyMatch(a -> a.action().equals("wx.login"));
    }

    @Test
    void requestPaymentGoesThroughTheHostSheet() {
        List<PaymentSheet.Request> shown = new CopyOnWriteArrayList<>();
        HostServices services = HostServices.defaults().withPayment((app, user, request) -> {
            shown.add(request);
            return request.paySign().equals("good") ? new PaymentSheet.Outcome.Paid() : new PaymentSheet.Outcome.Refused("signature invalid");
        });
        String pay = "{timeStamp:'1', nonceStr:'n', package:'prepay_id=1', signType:'RSA', paySign:'%s', success(){ console.log('paid') }, fail(e){ console.log(e.errMsg) }}";
        String body = "wx.requestPayment(" + pay.formatted("good") + "); wx.requestPayment(" + pay.formatted("forged") + ");"
                + " wx.requestPayment({timeStamp:'1', fail(e){ console.log(e.errMsg) }});";
        try (var run = harness(services).run(TestApps.page(onLoad(body)))) {
            assertThat(run.events().logs()).contains("paid", "requestPayment:fail signature invalid",
                    "requestPayment:fail parameter error: nonceStr must be a non-empty string");
            assertThat(shown).hasSize(2);
        }
        assertThat(audit).anyMatch(a -> a.action().equals("wx.requestPayment") && a.outcome().equals("refused"));
    }

    @Test
    void everyCallIsReportedAndDenialsAreAudited() {
        try (var run = harness(HostServices.defaults()).run(TestApps.page(onLoad("wx.getLocation({}); wx.showToast({title:'x'})")))) {
            assertThat(run.events().apis("getLocation")).singleElement().satisfies(a -> assertThat(a.ok()).isFalse());
            assertThat(run.events().apis("showToast")).singleElement().satisfies(a -> assertThat(a.ok()).isTrue());
        }
        assertThat(audit).anyMatch(a -> a.action().equals("wx.getLocation") && a.outcome().equals("denied"));
    }
}
