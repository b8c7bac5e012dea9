package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.host.InMemoryConsentLedger;
import dev.capsule.runtime.host.PersonalDataProvider;
import dev.capsule.runtime.net.GuardedHttpClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consent bound to the privacy text and withdrawable: the runtime reads the ledger on every call, so a withdrawal holds
 * from a running session's next call; a decision made under another privacy text asks again.
 */
class ConsentWithdrawalTest {
    private static final String APP = "com.example.test";
    private static final String USER = "user-1";
    private static final String LOCATE = "Page({ locate(){ wx.getLocation({success(r){ console.log('loc ' + r.latitude) },"
            + " fail(e){ console.log('loc ' + e.errMsg) }}) } })";

    private final InMemoryConsentLedger ledger = new InMemoryConsentLedger();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final HostServices services = HostServices.defaults().withPersonalData(new PersonalDataProvider() {
        @Override
        public Optional<Location> location(String appId, String userId) {
            return Optional.of(new Location(31.2, 121.5, 50));
        }

        @Override
        public Optional<UserProfile> userProfile(String appId, String userId) {
            return Optional.of(new UserProfile("Ann", "https://img.example.com/a.png"));
        }
    }).withConsent((app, user, scope, purpose) -> asked.add(scope + ":" + purpose), ledger);
    private Harness harness = new Harness(services, RuntimeLimits.DEFAULTS);

    @AfterEach
    void close() {
        harness.close();
    }

    /** In both tiers: in a worker process the call reaches the host's ledger through the same host-side code. */
    @ParameterizedTest
    @EnumSource(Isolation.class)
    void aWithdrawalDeniesTheRunningSessionsNextCallWithoutAPromptAndAllowRestoresIt(Isolation isolation) {
        harness.close();
        harness = new Harness(isolation, services, RuntimeLimits.DEFAULTS, GuardedHttpClient.create(), true,
                WorkerLimits.DEFAULTS.withWorkers(2, 0));
        try (var run = harness.run(TestApps.page(LOCATE))) {
            run.dispatch("locate", "{}");
            assertThat(run.events().logs()).containsExactly("loc 31.2");
            assertThat(asked).containsExactly("scope.userLocation:Show nearby stores");

            assertThat(ledger.withdraw(APP, USER, "scope.userLocation")).isTrue();
            run.dispatch("locate", "{}");
            assertThat(run.events().logs()).containsExactly("loc 31.2", "loc getLocation:fail auth deny");
            assertThat(asked).as("a withdrawn scope is not asked again").hasSize(1);

            assertThat(ledger.allow(APP, USER, "scope.userLocation")).isTrue();
            run.dispatch("locate", "{}");
            assertThat(run.events().logs()).containsExactly("loc 31.2", "loc getLocation:fail auth deny", "loc 31.2");
            assertThat(asked).as("allowed again for the text the user saw: no prompt").hasSize(1);
        }
    }

    @Test
    void aDecisionMadeUnderAnotherPrivacyTextAsksAgainAndTheSameTextDoesNot() {
        String changed = TestApps.MANIFEST.replace("Show nearby stores", "Show ads near you");
        ledger.record(APP, USER, new ConsentLedger.Topic("scope.userLocation", "Show nearby stores", TestApps.privacyOf(TestApps.MANIFEST)),
                false);
        try (var run = harness.run(TestApps.page(LOCATE))) {
            run.dispatch("locate", "{}");
            assertThat(run.events().logs()).containsExactly("loc getLocation:fail auth deny");
            assertThat(asked).as("the same text: the denial holds").isEmpty();
        }
        try (var run = harness.run(TestApps.app("capsule.json", changed, "pages/index/index.js", LOCATE))) {
            run.dispatch("locate", "{}");
            assertThat(run.events().logs()).containsExactly("loc 31.2");
            assertThat(asked).as("a changed purpose is a new question").containsExactly("scope.userLocation:Show ads near you");
        }
        assertThat(ledger.current(APP, USER, "scope.userLocation").orElseThrow().privacy()).contains(TestApps.privacyOf(changed));
    }

    @Test
    void aWithdrawnProfileIsAnonymousWithoutTheEveryTimePromptAndAWithdrawnAgreementIsRefused() {
        String manifest = TestApps.MANIFEST.replace("\"privacy\":[", "\"privacy\":[{\"data\":\"profile\",\"apis\":[\"wx.getUserProfile\"],"
                + "\"purpose\":\"Show your name\"},");
        PrivacyDigest privacy = TestApps.privacyOf(manifest);
        ledger.record(APP, USER, new ConsentLedger.Topic("scope.userInfo", "Show your name", privacy), true);
        ledger.record(APP, USER, new ConsentLedger.Topic("privacy.contract", "profile: Show your name", privacy), true);
        String body = "Page({ onLoad(){ wx.getUserProfile({desc:'name', success(r){ console.log('profile ' + r.userInfo.nickName) }});"
                + " wx.requirePrivacyAuthorize({success(){ console.log('agreed') }, fail(e){ console.log(e.errMsg) }}) } })";
        ledger.withdraw(APP, USER, "scope.userInfo");
        ledger.withdraw(APP, USER, "privacy.contract");
        try (var run = harness.run(TestApps.app("capsule.json", manifest, "pages/index/index.js", body)).idle()) {
            assertThat(run.events().logs()).containsExactlyInAnyOrder("profile 微信用户",
                    "requirePrivacyAuthorize:fail privacy authorization withdrawn in settings");
        }
        assertThat(asked).isEmpty();
        ledger.allow(APP, USER, "scope.userInfo");
        try (var run = harness.run(TestApps.app("capsule.json", manifest, "pages/index/index.js", body)).idle()) {
            assertThat(run.events().logs()).contains("profile Ann");
        }
        assertThat(asked).as("the profile is asked every time once allowed, as in WeChat").containsExactly("scope.userInfo:Show your name");
    }

    @Test
    void theInMemoryLedgerKeepsTheContract() {
        PrivacyDigest privacy = TestApps.privacyOf(TestApps.MANIFEST);
        PrivacyDigest other = TestApps.privacyOf(TestApps.MANIFEST.replace("Show nearby stores", "Other"));
        assertThat(ledger.withdraw(APP, USER, "scope.userLocation")).as("nothing to withdraw").isFalse();
        assertThat(ledger.allow(APP, USER, "scope.userLocation")).as("nothing to allow").isFalse();
        ledger.record(APP, USER, new ConsentLedger.Topic("scope.userLocation", "Show nearby stores", privacy), true);
        assertThat(ledger.decision(APP, USER, "scope.userLocation", privacy)).hasValue(true);
        assertThat(ledger.decision(APP, USER, "scope.userLocation", other)).as("another text: no decision").isEmpty();
        assertThat(ledger.allow(APP, USER, "scope.userLocation")).as("already granted").isFalse();
        assertThat(ledger.withdraw(APP, USER, "scope.userLocation")).isTrue();
        assertThat(ledger.withdraw(APP, USER, "scope.userLocation")).as("already withdrawn").isFalse();
        assertThat(ledger.decision(APP, USER, "scope.userLocation", other)).as("withdrawn, whatever the text").hasValue(false);
        assertThat(ledger.current(APP, USER, "scope.userLocation").orElseThrow().purpose()).isEqualTo("Show nearby stores");
        assertThat(ledger.decision(APP, "user-2", "scope.userLocation", privacy)).as("another user").isEmpty();

        for (int i = 0; i < ConsentLedger.SCOPES_MAX + 3; i++) {
            ledger.record(APP, "user-many", new ConsentLedger.Topic("scope.s" + i, "p", privacy), true);
        }
        assertThat(ledger.decisions(APP, "user-many")).hasSize(ConsentLedger.SCOPES_MAX);
        assertThat(ledger.decision(APP, "user-many", "scope.s" + (ConsentLedger.SCOPES_MAX + 1), privacy)).as("not remembered").isEmpty();
        assertThatThrownBy(() -> new ConsentLedger.Topic("scope\nforged", "p", privacy)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsentLedger.Topic("scope.x", "p".repeat(ConsentLedger.PURPOSE_CHARS_MAX + 1), privacy))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new ConsentLedger.Topic("scope.x", "p".repeat(ConsentLedger.PURPOSE_CHARS_MAX), privacy).purpose())
                .hasSize(ConsentLedger.PURPOSE_CHARS_MAX);
    }
}
