package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.SharedPostgres;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Upgrading a database that has host_consent (V81) keeps every decision, as one made before purposes were recorded:
 * listed in settings with its state and time, answering nothing, so the user is asked again (with the purpose shown).
 */
class ConsentLedgerMigrationTest {
    private static final MiniProgramId TODO_EXAMPLE = MiniProgramId.of("com.example.todo");
    private static final PrivacyDigest PRIVACY = PrivacyDigest.of(List.of(new CapsuleManifest.PrivacyDeclaration("location",
            List.of("wx.getLocation"), "Show the weather where you are")));

    @Test
    void decisionsKeptFromBeforeV103AreListedButAskAgain() {
        String database = SharedPostgres.newDatabase();
        Flyway.configure().dataSource(database, null, null).locations("classpath:db/migration").target("102").load().migrate();
        DriverManagerDataSource source = new DriverManagerDataSource(database);
        JdbcClient jdbc = JdbcClient.create(source);
        ShellUserId alice = new ShellUserId("acct-alice");
        PairwiseIds pairwise = (app, user) -> "u-" + app.value().replace('.', '-') + "-" + user.value();
        String aliceTodo = pairwise.runtimeUserId(TODO_EXAMPLE, alice);
        jdbc.sql("""
                INSERT INTO host_consent (app_id, user_id, scope, granted, decided_at) VALUES
                (:a, :u, 'scope.userLocation', true, '2026-01-02T03:04:05Z'),
                (:a, :u, 'privacy.contract', false, '2026-01-02T03:04:06Z')""").param("a", TODO_EXAMPLE.value()).param("u", aliceTodo).update();

        Flyway.configure().dataSource(database, null, null).locations("classpath:db/migration").target("103").load().migrate();
        List<Object> events = new CopyOnWriteArrayList<>();
        JdbcConsentLedger ledger = new JdbcConsentLedger(jdbc, new TransactionTemplate(new DataSourceTransactionManager(source)), pairwise,
                events::add);

        assertThat(jdbc.sql("SELECT to_regclass('host_consent') IS NULL").query(Boolean.class).single()).as("the old table is gone").isTrue();
        ConsentLedger.Decision location = ledger.current(TODO_EXAMPLE.value(), aliceTodo, "scope.userLocation").orElseThrow();
        assertThat(location).isEqualTo(new ConsentLedger.Decision("scope.userLocation", ConsentLedger.State.GRANTED, "", Optional.empty(),
                Instant.parse("2026-01-02T03:04:05Z")));
        assertThat(ledger.current(TODO_EXAMPLE.value(), aliceTodo, "privacy.contract").orElseThrow().state()).isEqualTo(ConsentLedger.State.DENIED);
        assertThat(ledger.decision(TODO_EXAMPLE.value(), aliceTodo, "scope.userLocation", PRIVACY)).as("asked again").isEmpty();
        assertThat(ledger.decision(TODO_EXAMPLE.value(), aliceTodo, "privacy.contract", PRIVACY)).as("asked again").isEmpty();
        assertThat(ledger.decisionsOf(alice)).extracting(listed -> listed.app().value() + " " + listed.decision().scope())
                .containsExactly("com.example.todo privacy.contract", "com.example.todo scope.userLocation");
        assertThat(jdbc.sql("SELECT DISTINCT via FROM host_consent_events").query(String.class).list()).containsExactly("migrated");

        // Asked again, the answer is bound to the text shown and holds; the migrated row stays in the history.
        ledger.record(TODO_EXAMPLE.value(), aliceTodo, new ConsentLedger.Topic("scope.userLocation", "Show the weather where you are", PRIVACY), true);
        assertThat(ledger.decision(TODO_EXAMPLE.value(), aliceTodo, "scope.userLocation", PRIVACY)).hasValue(true);
        assertThat(jdbc.sql("SELECT decision || ' ' || via FROM host_consent_events WHERE scope = 'scope.userLocation' ORDER BY id")
                .query(String.class).list()).containsExactly("granted migrated", "granted prompt");
        assertThat(events).singleElement().isInstanceOfSatisfying(HostEvent.class,
                e -> assertThat(e.kind()).isEqualTo(HostEvent.What.CONSENT_DECIDE));
    }
}
