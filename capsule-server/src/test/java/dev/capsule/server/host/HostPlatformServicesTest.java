package dev.capsule.server.host;

import static dev.capsule.server.host.ShellHttp.cookie;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.runtime.CapsuleRuntime;
import dev.capsule.runtime.storage.StorageArea;
import dev.capsule.runtime.storage.Storage;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.host.internal.JdbcConsentLedger;
import dev.capsule.server.host.internal.PairwiseIds;
import dev.capsule.server.host.internal.ShellSignIn;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform services a hosted session gets, against real PostgreSQL: pairwise ids, the consent ledger (and the
 * shell's settings page over it), and the encrypted storage.
 */
@CapsuleServerTest
class HostPlatformServicesTest {
    private static final MiniProgramId TODO_APP = MiniProgramId.of("com.example.todo");
    private static final MiniProgramId MAPS = MiniProgramId.of("com.example.maps");

    @Autowired TestHttps https;
    @Autowired JdbcClient jdbc;
    @Autowired PairwiseIds pairwise;
    @Autowired JdbcConsentLedger ledger;
    @Autowired Storage storage;
    @Autowired ShellSignIn signIn;

    @Test
    void pairwiseIdsAreStablePerMiniProgramUnlinkableAcrossThemAndValidForTheRuntime() {
        ShellUserId user = new ShellUserId("acct-pairwise");
        String todo = pairwise.runtimeUserId(TODO_APP, user);
        assertThat(pairwise.runtimeUserId(TODO_APP, user)).isEqualTo(todo);
        assertThat(pairwise.runtimeUserId(MAPS, user)).isNotEqualTo(todo);
        assertThat(pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-other"))).isNotEqualTo(todo);
        assertThat(todo).matches("u[0-9a-f]{32}").doesNotContain("acct");
        assertThat(CapsuleRuntime.isValidUserId(todo)).isTrue();
    }

    @Test
    void consentDecisionsAreRememberedPerMiniProgramAndUserRevocableAndAudited() {
        String alice = pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-consent-a"));
        String bob = pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-consent-b"));
        assertThat(ledger.decision(TODO_APP.value(), alice, "scope.userLocation")).isEmpty();
        ledger.record(TODO_APP.value(), alice, "scope.userLocation", true);
        ledger.record(TODO_APP.value(), alice, "scope.camera", false);
        assertThat(ledger.decision(TODO_APP.value(), alice, "scope.userLocation")).hasValue(true);
        assertThat(ledger.decisions(TODO_APP.value(), alice)).isEqualTo(Map.of("scope.camera", false, "scope.userLocation", true));
        assertThat(ledger.decision(TODO_APP.value(), bob, "scope.userLocation")).as("another user").isEmpty();
        assertThat(ledger.decision(MAPS.value(), alice, "scope.userLocation")).as("another mini-program").isEmpty();

        ledger.record(TODO_APP.value(), alice, "scope.userLocation", false);
        assertThat(ledger.decision(TODO_APP.value(), alice, "scope.userLocation")).as("a new answer replaces the old").hasValue(false);
        ledger.revoke(TODO_APP.value(), alice, "scope.userLocation");
        assertThat(ledger.decision(TODO_APP.value(), alice, "scope.userLocation")).isEmpty();

        assertThatThrownBy(() -> ledger.record(TODO_APP.value(), alice, "scope\nforged", true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ledger.record("Not An Id", alice, "scope.camera", true)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.decide") && AuditEvents.text(e, "app").equals(TODO_APP.value())))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "detail")).contains("success|allow", "success|deny");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.revoke"))).isNotEmpty();
    }

    @Test
    void aUserKeepsAtMostSoManyScopesPerMiniProgram() {
        String user = pairwise.runtimeUserId(MAPS, new ShellUserId("acct-many-scopes"));
        for (int i = 0; i < JdbcConsentLedger.SCOPES_MAX + 3; i++) {
            ledger.record(MAPS.value(), user, "scope.s" + i, true);
        }
        assertThat(ledger.decisions(MAPS.value(), user)).hasSize(JdbcConsentLedger.SCOPES_MAX);
        assertThat(ledger.decision(MAPS.value(), user, "scope.s" + (JdbcConsentLedger.SCOPES_MAX + 1))).as("refused, asked again next time").isEmpty();
        ledger.record(MAPS.value(), user, "scope.s0", false);
        assertThat(ledger.decision(MAPS.value(), user, "scope.s0")).as("a known scope still changes").hasValue(false);
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.decide") && AuditEvents.text(e, "app").equals(MAPS.value())))
                .extracting(e -> AuditEvents.line(e, "|", "outcome", "reason")).contains("failure|too-many-scopes");
    }

    @Test
    void theSettingsPageListsOnlyTheUsersOwnDecisionsAndRevokesThem() {
        ShellUserId carol = new ShellUserId("acct-settings-carol");
        ledger.record(TODO_APP.value(), pairwise.runtimeUserId(TODO_APP, carol), "scope.userLocation", true);
        ledger.record(MAPS.value(), pairwise.runtimeUserId(MAPS, new ShellUserId("acct-settings-dave")), "scope.werun", true);

        String shellCookie = signIn.exchange(signIn.issue("apikey:0123456789abcdef", carol, Optional.empty(), 60).token()).orElseThrow().cookieToken();
        HttpResponse<String> page = https.get("/shell/settings", cookie(shellCookie));
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        assertThat(page.body()).contains("data-app=\"com.example.todo\"").contains("data-scope=\"scope.userLocation\"")
                .doesNotContain("scope.werun");
        assertThat(page.body().split("<script", -1)).as("the one script is the fixed passkeys.js").hasSize(2);
        assertThat(page.body()).contains("<script src=\"/shell/passkeys.js\" defer></script>");

        HttpResponse<String> revoked = ShellHttp.postForm(https, "/shell/settings/revoke",
                Map.of("shellCsrf", ShellHttp.csrfOf(page.body()), "app", TODO_APP.value(), "scope", "scope.userLocation"),
                "Cookie", ShellHttp.COOKIE + "=" + shellCookie, "Origin", ShellHttp.origin(https));
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(302);
        assertThat(ledger.decision(TODO_APP.value(), pairwise.runtimeUserId(TODO_APP, carol), "scope.userLocation")).isEmpty();
        assertThat(https.get("/shell/settings", cookie(shellCookie)).body()).contains("No remembered decisions.");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "type").equals("consent.revoke")
                && !AuditEvents.text(e, "user").equals("null"))).isNotEmpty();
    }

    @Test
    void storageIsEncryptedInPostgresqlPerMiniProgramAndUser() throws StorageException {
        String alice = pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-storage-a"));
        StorageArea area = storage.open(TODO_APP.value(), alice);
        area.set("todos", "[\"buy milk secretvalue\"]");
        assertThat(storage.open(TODO_APP.value(), alice).get("todos")).hasValue("[\"buy milk secretvalue\"]");
        assertThat(storage.open(MAPS.value(), alice).get("todos")).as("another mini-program").isEmpty();
        assertThat(storage.open(TODO_APP.value(), pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-storage-b"))).get("todos"))
                .as("another user").isEmpty();

        var rows = jdbc.sql("SELECT area, name, bytes FROM host_storage_blobs").query((rs, n) -> rs.getString(1) + rs.getString(2)
                + new String(rs.getBytes(3), StandardCharsets.ISO_8859_1)).list();
        assertThat(rows).isNotEmpty().noneMatch(row -> row.contains("secretvalue") || row.contains("todos") || row.contains(alice)
                || row.contains(TODO_APP.value()));
        area.remove("todos");
        assertThat(storage.open(TODO_APP.value(), alice).get("todos")).isEmpty();
    }

    @Test
    void aTamperedStoredRecordIsUnreadableNotAnotherValue() throws StorageException {
        String user = pairwise.runtimeUserId(TODO_APP, new ShellUserId("acct-storage-tamper"));
        storage.open(TODO_APP.value(), user).set("k", "\"v\"");
        storage.open(TODO_APP.value(), user).set("other", "\"w\"");
        // Swap the two records' bytes: each is bound to its own name.
        var records = jdbc.sql("SELECT area, name, bytes FROM host_storage_blobs WHERE name <> 'keys' AND area = (SELECT area FROM host_storage_blobs "
                + "WHERE name <> 'keys' GROUP BY area HAVING count(*) = 2 LIMIT 1)").query((rs, n) -> new Object[] {rs.getString(1), rs.getString(2),
                rs.getBytes(3)}).list();
        assertThat(records).hasSize(2);
        jdbc.sql("UPDATE host_storage_blobs SET bytes = :b WHERE area = :a AND name = :n")
                .param("b", records.get(1)[2]).param("a", records.get(0)[0]).param("n", records.get(0)[1]).update();
        StorageArea reopened = storage.open(TODO_APP.value(), user);
        assertThatThrownBy(() -> {
            reopened.get("k");
            reopened.get("other");
        }).isInstanceOf(StorageException.class).hasMessageContaining("unreadable");
    }
}
