package dev.capsule.server.host;

import static dev.capsule.server.host.ShellHttp.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.runtime.storage.StorageArea;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.host.internal.HostProblems;
import dev.capsule.server.host.internal.JdbcConsentLedger;
import dev.capsule.server.host.internal.PairwiseIds;
import dev.capsule.server.host.internal.ShellSignIn;
import dev.capsule.server.keys.Pseudonyms;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform services a hosted session gets, against real PostgreSQL: pairwise ids, the consent ledger (its
 * append-only history, and the shell's settings page over it), and the encrypted storage.
 */
@CapsuleServerTest
class HostPlatformServicesTest {
    private static final MiniProgramId EXAMPLE_APP = MiniProgramId.of("com.example.todo");
    private static final MiniProgramId MAPS = MiniProgramId.of("com.example.maps");
    private static final PrivacyDigest PRIVACY = PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location",
            List.of("wx.getLocation"), "Show the weather where you are")));
    private static final PrivacyDigest CHANGED_PRIVACY = PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location",
            List.of("wx.getLocation"), "Show ads near you")));
    private static final ConsentLedger.Topic LOCATION = new ConsentLedger.Topic("scope.userLocation", "Show the weather where you are", PRIVACY);

    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired PairwiseIds pairwise;
    @Autowired JdbcConsentLedger ledger;
    @Autowired Pseudonyms pseudonyms;
    @Autowired Storage storage;
    @Autowired ShellSignIn signIn;

    @Test
    void pairwiseIdsAreStablePerMiniProgramUnlinkableAcrossThemAndValidForTheRuntime() {
        ShellUserId user = new ShellUserId("acct-pairwise");
        String todo = pairwise.runtimeUserId(EXAMPLE_APP, user);
        assertThat(pairwise.runtimeUserId(EXAMPLE_APP, user)).isEqualTo(todo);
        assertThat(pairwise.runtimeUserId(MAPS, user)).isNotEqualTo(todo);
        assertThat(pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-other"))).isNotEqualTo(todo);
        assertThat(todo).matches("u[0-9a-f]{32}").doesNotContain("acct");
        assertThat(CapsuleRuntime.isValidUserId(todo)).isTrue();
    }

    @Test
    void consentDecisionsAreRememberedPerMiniProgramUserAndPrivacyTextAndAudited() {
        String alice = pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-consent-a"));
        String bob = pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-consent-b"));
        assertThat(ledger.decision(EXAMPLE_APP.value(), alice, "scope.userLocation", PRIVACY)).isEmpty();
        ledger.record(EXAMPLE_APP.value(), alice, LOCATION, true);
        ledger.record(EXAMPLE_APP.value(), alice, new ConsentLedger.Topic("scope.camera", "Scan codes", PRIVACY), false);
        assertThat(ledger.decision(EXAMPLE_APP.value(), alice, "scope.userLocation", PRIVACY)).hasValue(true);
        assertThat(ledger.decisions(EXAMPLE_APP.value(), alice)).containsOnlyKeys("scope.camera", "scope.userLocation");
        assertThat(ledger.current(EXAMPLE_APP.value(), alice, "scope.userLocation").orElseThrow())
                .extracting(ConsentLedger.Decision::state, ConsentLedger.Decision::purpose, ConsentLedger.Decision::privacy)
                .containsExactly(ConsentLedger.State.GRANTED, "Show the weather where you are", Optional.of(PRIVACY));
        assertThat(ledger.decision(EXAMPLE_APP.value(), bob, "scope.userLocation", PRIVACY)).as("another user").isEmpty();
        assertThat(ledger.decision(MAPS.value(), alice, "scope.userLocation", PRIVACY)).as("another mini-program").isEmpty();
        assertThat(ledger.decision(EXAMPLE_APP.value(), alice, "scope.userLocation", CHANGED_PRIVACY)).as("another privacy text: ask again")
                .isEmpty();

        ledger.record(EXAMPLE_APP.value(), alice, LOCATION, false);
        assertThat(ledger.decision(EXAMPLE_APP.value(), alice, "scope.userLocation", PRIVACY)).as("a new answer replaces the old").hasValue(false);
        ledger.record(EXAMPLE_APP.value(), alice, LOCATION, false);
        assertThat(history(EXAMPLE_APP, alice, "scope.userLocation")).as("the same answer again appends nothing")
                .containsExactly("granted prompt", "denied prompt");
        assertThat(ledger.withdraw(EXAMPLE_APP.value(), alice, "scope.userLocation")).isTrue();
        assertThat(ledger.decision(EXAMPLE_APP.value(), alice, "scope.userLocation", CHANGED_PRIVACY)).as("withdrawn, whatever the text")
                .hasValue(false);
        assertThat(history(EXAMPLE_APP, alice, "scope.userLocation")).containsExactly("granted prompt", "denied prompt", "withdrawn settings");

        assertThatThrownBy(() -> ledger.record(EXAMPLE_APP.value(), alice, new ConsentLedger.Topic("scope\nforged", "p", PRIVACY), true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.record("Not An Id", alice, LOCATION, true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.decide") && AuditEvents.text(e, "app").equals(EXAMPLE_APP.value())))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "detail")).contains("success|allow", "success|deny");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.withdraw")
                && AuditEvents.text(e, "app").equals(EXAMPLE_APP.value()))).extracting(e -> AuditEvents.text(e, "detail"))
                .contains("scope.userLocation");
    }

    @Test
    void aUserKeepsAtMostSoManyScopesPerMiniProgram() {
        String user = pairwise.runtimeUserId(MAPS, new ShellUserId("acct-many-scopes"));
        for (int i = 0; i < ConsentLedger.SCOPES_MAX + 3; i++) {
            ledger.record(MAPS.value(), user, new ConsentLedger.Topic("scope.s" + i, "p", PRIVACY), true);
        }
        assertThat(ledger.decisions(MAPS.value(), user)).hasSize(ConsentLedger.SCOPES_MAX);
        assertThat(ledger.decision(MAPS.value(), user, "scope.s" + (ConsentLedger.SCOPES_MAX + 1), PRIVACY)).as("refused, asked again next time")
                .isEmpty();
        ledger.record(MAPS.value(), user, new ConsentLedger.Topic("scope.s0", "p", PRIVACY), false);
        assertThat(ledger.decision(MAPS.value(), user, "scope.s0", PRIVACY)).as("a known scope still changes").hasValue(false);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.decide") && AuditEvents.text(e, "app").equals(MAPS.value())))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "reason")).contains("failure|too-many-scopes");
    }

    @Test
    void theConsentHistoryIsAppendOnlyInTheDatabase() {
        String user = pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-append-only"));
        ledger.record(EXAMPLE_APP.value(), user, LOCATION, true);
        ledger.withdraw(EXAMPLE_APP.value(), user, "scope.userLocation");
        long first = jdbc.sql("SELECT min(id) FROM host_consent_events WHERE user_id = :u").param("u", user).query(Long.class).single();
        for (String change : List.of("UPDATE host_consent_events SET decision = 'granted' WHERE id = " + first,
                "UPDATE host_consent_events SET purpose = 'forged' WHERE user_id = '" + user + "'",
                "DELETE FROM host_consent_events WHERE id = " + first,
                "TRUNCATE host_consent_events CASCADE",
                "DELETE FROM host_consent_current WHERE user_id = '" + user + "'",
                "UPDATE host_consent_current SET event_id = " + first + " WHERE user_id = '" + user + "'")) {
            assertThatThrownBy(() -> jdbc.sql(change).update()).as(change).isInstanceOf(DataAccessException.class)
                    .hasMessageContaining("host_consent_");
        }
        assertThat(history(EXAMPLE_APP, user, "scope.userLocation")).containsExactly("granted prompt", "withdrawn settings");
        assertThat(ledger.decision(EXAMPLE_APP.value(), user, "scope.userLocation", PRIVACY)).hasValue(false);
        // Appending is what the ledger does, and still works.
        assertThat(ledger.allow(EXAMPLE_APP.value(), user, "scope.userLocation")).isTrue();
        assertThat(history(EXAMPLE_APP, user, "scope.userLocation")).containsExactly("granted prompt", "withdrawn settings", "granted settings");
    }

    @Test
    void beyondTheHistoryLimitAllowIsRefusedButWithdrawalIsAlwaysRecorded() {
        ShellUserId erin = new ShellUserId("acct-history-full");
        String user = pairwise.runtimeUserId(MAPS, erin);
        ledger.record(MAPS.value(), user, LOCATION, true);
        jdbc.sql("""
                INSERT INTO host_consent_events (app_id, user_id, scope, decision, purpose, privacy_digest, via, decided_at)
                SELECT :a, :u, 'scope.filler', 'denied', 'p', NULL, 'prompt', now() FROM generate_series(2, :n)""")
                .param("a", MAPS.value()).param("u", user).param("n", JdbcConsentLedger.EVENTS_PER_APP_USER_MAX).update();
        assertThat(ledger.withdraw(erin, MAPS, "scope.userLocation")).isEqualTo(JdbcConsentLedger.Change.CHANGED);
        assertThat(ledger.decision(MAPS.value(), user, "scope.userLocation", PRIVACY)).hasValue(false);
        assertThat(ledger.allow(erin, MAPS, "scope.userLocation")).isEqualTo(JdbcConsentLedger.Change.HISTORY_FULL);
        assertThat(ledger.decision(MAPS.value(), user, "scope.userLocation", PRIVACY)).as("still withdrawn").hasValue(false);
        ledger.record(MAPS.value(), user, new ConsentLedger.Topic("scope.userInfo", "p", PRIVACY), true);
        assertThat(ledger.decision(MAPS.value(), user, "scope.userInfo", PRIVACY)).as("not remembered: asked again").isEmpty();
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.allow") && AuditEvents.text(e, "app").equals(MAPS.value())))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "reason")).contains("failure|history-full");
    }

    @Test
    void theSettingsPageShowsOnlyTheUsersOwnDecisionsWithTheirPurposeAndWithdrawsAndAllowsThem() {
        ShellUserId carol = new ShellUserId("acct-settings-carol");
        String carolTodo = pairwise.runtimeUserId(EXAMPLE_APP, carol);
        ledger.record(EXAMPLE_APP.value(), carolTodo, LOCATION, true);
        ledger.record(MAPS.value(), pairwise.runtimeUserId(MAPS, new ShellUserId("acct-settings-dave")),
                new ConsentLedger.Topic("scope.werun", "Dave's steps", PRIVACY), true);

        String shellCookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", carol, Optional.empty(), 60).token()).orElseThrow().cookieToken();
        HttpResponse<String> page = https.get("/shell/settings", cookie(shellCookie));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("data-app=\"com.example.todo\"")
                .contains("data-scope=\"scope.userLocation\" data-state=\"allowed\"").contains("Show the weather where you are")
                .contains("action=\"/shell/settings/withdraw\"").doesNotContain("action=\"/shell/settings/allow\"")
                .doesNotContain("scope.werun").doesNotContain("Dave");
        assertThat(page.body().split("<script", -1)).as("the one script is the fixed passkeys.js").hasSize(2);
        assertThat(page.body()).contains("<script src=\"/shell/passkeys.js\" defer></script>");

        HttpResponse<String> withdrawn = settingsForm(shellCookie, "withdraw", ShellHttp.csrfOf(page.body()), EXAMPLE_APP.value(), "scope.userLocation");
        assertThat(withdrawn.statusCode()).as(withdrawn.body()).isEqualTo(302);
        assertThat(ledger.decision(EXAMPLE_APP.value(), carolTodo, "scope.userLocation", PRIVACY)).hasValue(false);
        String after = https.get("/shell/settings", cookie(shellCookie)).body();
        assertThat(after).contains("data-scope=\"scope.userLocation\" data-state=\"withdrawn\"").contains("Show the weather where you are")
                .contains("action=\"/shell/settings/allow\"").doesNotContain("action=\"/shell/settings/withdraw\"");

        HttpResponse<String> allowed = settingsForm(shellCookie, "allow", ShellHttp.csrfOf(after), EXAMPLE_APP.value(), "scope.userLocation");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(302);
        assertThat(ledger.decision(EXAMPLE_APP.value(), carolTodo, "scope.userLocation", PRIVACY)).hasValue(true);
        assertThat(history(EXAMPLE_APP, carolTodo, "scope.userLocation")).containsExactly("granted prompt", "withdrawn settings", "granted settings");
        String tag = pseudonyms.tag("shell-user:" + carol.value());
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "user").equals(tag)))
                .extracting(e -> AuditEvents.line(e, "|", "type", "outcome", "app", "detail"))
                .contains("consent.withdraw|success|com.example.todo|scope.userLocation", "consent.allow|success|com.example.todo|scope.userLocation");

        // Another user's scope is not hers to change: she has no decision there.
        ShellHttp.assertProblem(settingsForm(shellCookie, "withdraw", ShellHttp.csrfOf(after), MAPS.value(), "scope.werun"), 404,
                HostProblems.CONSENT_NOT_FOUND.slug());
        ShellHttp.assertProblem(settingsForm(shellCookie, "allow", ShellHttp.csrfOf(after), "Not An Id", "scope.werun"), 400, "validation");
    }

    @Test
    void theSettingsFormsRefuseAMissingOrWrongTokenAndAnotherOrigin() {
        ShellUserId frank = new ShellUserId("acct-settings-frank");
        String frankTodo = pairwise.runtimeUserId(EXAMPLE_APP, frank);
        ledger.record(EXAMPLE_APP.value(), frankTodo, LOCATION, true);
        String shellCookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", frank, Optional.empty(), 60).token()).orElseThrow().cookieToken();
        String csrf = ShellHttp.csrfOf(https.get("/shell/settings", cookie(shellCookie)).body());
        for (String action : List.of("withdraw", "allow")) {
            Map<String, String> noToken = Map.of("app", EXAMPLE_APP.value(), "scope", "scope.userLocation");
            ShellHttp.assertProblem(ShellHttp.postForm(https, "/shell/settings/" + action, noToken, "Cookie", ShellHttp.COOKIE + "=" + shellCookie,
                    "Origin", ShellHttp.origin(https)), 403, HostProblems.SHELL_CSRF_INVALID.slug());
            ShellHttp.assertProblem(settingsForm(shellCookie, action, "A".repeat(43), EXAMPLE_APP.value(), "scope.userLocation"), 403,
                    HostProblems.SHELL_CSRF_INVALID.slug());
            ShellHttp.assertProblem(ShellHttp.postForm(https, "/shell/settings/" + action, Map.of("shellCsrf", csrf, "app", EXAMPLE_APP.value(),
                    "scope", "scope.userLocation"), "Cookie", ShellHttp.COOKIE + "=" + shellCookie, "Origin", "https://evil.example"), 403,
                    HostProblems.ORIGIN_MISMATCH.slug());
        }
        assertThat(history(EXAMPLE_APP, frankTodo, "scope.userLocation")).as("nothing changed").containsExactly("granted prompt");
        for (String action : List.of("withdraw", "allow")) {
            assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("access.deny")
                    && AuditEvents.text(e, "action").contains("/shell/settings/" + action)))
                    .as("every refusal is audited").extracting(e -> AuditEvents.text(e, "reason"))
                    .contains("shell-csrf-token-invalid", "origin-mismatch");
        }
        // The same form with the token is accepted: the refusals above were the token's and the origin's.
        assertThat(settingsForm(shellCookie, "withdraw", csrf, EXAMPLE_APP.value(), "scope.userLocation").statusCode()).isEqualTo(302);
        assertThat(history(EXAMPLE_APP, frankTodo, "scope.userLocation")).containsExactly("granted prompt", "withdrawn settings");
    }

    private HttpResponse<String> settingsForm(String shellCookie, String action, String csrf, String app, String scope) {
        return ShellHttp.postForm(https, "/shell/settings/" + action, Map.of("shellCsrf", csrf, "app", app, "scope", scope),
                "Cookie", ShellHttp.COOKIE + "=" + shellCookie, "Origin", ShellHttp.origin(https));
    }

    /** A scope's history, oldest first: "decision via". */
    private List<String> history(MiniProgramId app, String user, String scope) {
        return jdbc.sql("SELECT decision || ' ' || via FROM host_consent_events WHERE app_id = :a AND user_id = :u AND scope = :s ORDER BY id")
                .param("a", app.value()).param("u", user).param("s", scope).query(String.class).list();
    }

    @Test
    void storageIsEncryptedInPostgresqlPerMiniProgramAndUser() throws StorageException {
        String alice = pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-storage-a"));
        StorageArea area = storage.open(EXAMPLE_APP.value(), alice);
        area.set("todos", "[\"buy milk secretvalue\"]");
        assertThat(storage.open(EXAMPLE_APP.value(), alice).get("todos")).hasValue("[\"buy milk secretvalue\"]");
        assertThat(storage.open(MAPS.value(), alice).get("todos")).as("another mini-program").isEmpty();
        assertThat(storage.open(EXAMPLE_APP.value(), pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-storage-b"))).get("todos"))
                .as("another user").isEmpty();

        var rows = jdbc.sql("SELECT area, name, bytes FROM host_storage_blobs").query((rs, n) -> rs.getString(1) + rs.getString(2)
                + new String(rs.getBytes(3), StandardCharsets.ISO_8859_1)).list();
        assertThat(rows).isNotEmpty().noneMatch(row -> row.contains("secretvalue") || row.contains("todos") || row.contains(alice)
                || row.contains(EXAMPLE_APP.value()));
        area.remove("todos");
        assertThat(storage.open(EXAMPLE_APP.value(), alice).get("todos")).isEmpty();
    }

    @Test
    void aTamperedStoredRecordIsUnreadableNotAnotherValue() throws StorageException {
        String user = pairwise.runtimeUserId(EXAMPLE_APP, new ShellUserId("acct-storage-tamper"));
        storage.open(EXAMPLE_APP.value(), user).set("k", "\"v\"");
        storage.open(EXAMPLE_APP.value(), user).set("other", "\"w\"");
        // Swap the two records' bytes: each is bound to its own name.
        var records = jdbc.sql("SELECT area, name, bytes FROM host_storage_blobs WHERE name <> 'keys' AND area = (SELECT area FROM host_storage_blobs "
                + "WHERE name <> 'keys' GROUP BY area HAVING count(*) = 2 LIMIT 1)").query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2),
                rs.getBytes(3)}).list();
        assertThat(records).hasSize(2);
        jdbc.sql("UPDATE host_storage_blobs SET bytes = :b WHERE area = :a AND name = :n")
                .param("b", records.get(1)[2]).param("a", records.get(0)[0]).param("n", records.get(0)[1]).update();
        StorageArea reopened = storage.open(EXAMPLE_APP.value(), user);
        assertThatThrownBy(() -> {
            reopened.get("k");
            reopened.get("other");
        }).isInstanceOf(StorageException.class).hasMessageContaining("unreadable");
    }
}
