package dev.capsule.server.compliance.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.compliance.ProcessingRecord;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The platform's processing list ({@link PlatformProcessing}) against the migrated schema: every table that holds
 * personal data — found by its columns, as far as column names tell (a person's id, an operator's or actor's id, a
 * client address, a payer, a subject key) plus the tables whose JSON or bytes carry persons — is named by exactly one
 * activity, and every table an activity names exists. A module that adds such a table without describing it fails here.
 */
@CapsuleServerTest
class PlatformProcessingTest {
    /** Column names that identify a person (end user, payer, operator, actor) or a client address. */
    private static final String PERSONAL_COLUMN = "^(user_id|user_data|username|payer|payer_id|payer_app_user|payer_ref|operator_id"
            + "|subject|subject_id|actor|actor_id|principal_name|throttle_key|bucket|contact|area|source_address|[a-z_]+_by)$";
    /** Tables a column name matches that hold no personal data, each with the reason. */
    private static final Map<String, String> NOT_PERSONAL = Map.of(
            "flyway_schema_history", "installed_by is the database role that ran a migration, not a person");
    /** Tables whose JSON or bytes carry persons, though no column's name says so. */
    private static final Set<String> PERSONS_IN_CONTENT = Set.of("audit_pending", "audit_entries", "audit_user_entries", "release_log_entries",
            "payments_webhook_message", "payments_idempotency", "spring_session_attributes");

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyTableHoldingPersonalDataIsNamedByExactlyOnePlatformActivity() {
        Set<String> personal = new TreeSet<>(jdbc.sql("""
                SELECT DISTINCT c.table_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.column_name ~ ?""")
                .param(PERSONAL_COLUMN).query(String.class).list());
        personal.addAll(PERSONS_IN_CONTENT);
        assertThat(personal).as("every exception is still in the schema").containsAll(NOT_PERSONAL.keySet());
        personal.removeAll(NOT_PERSONAL.keySet());
        assertThat(personal).as("the schema query finds the known holders").contains("operators", "host_grants", "payments_intent",
                "keys_subject_keys", "registry_organisation");

        Map<String, Long> namedBy = PlatformProcessing.ACTIVITIES.stream().flatMap(activity -> activity.tables().stream())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        List<String> unnamed = personal.stream().filter(table -> !namedBy.containsKey(table)).toList();
        assertThat(unnamed).as("tables with personal data that no activity of PlatformProcessing names").isEmpty();
        assertThat(namedBy.entrySet().stream().filter(entry -> entry.getValue() > 1).map(Map.Entry::getKey).toList())
                .as("tables named by more than one activity").isEmpty();
    }

    @Test
    void everyTableAnActivityNamesExistsAndEveryModuleThatStoresPersonalDataHasAnActivity() {
        Set<String> tables = new TreeSet<>(jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                + "AND table_type = 'BASE TABLE'").query(String.class).list());
        List<String> missing = new ArrayList<>();
        PlatformProcessing.ACTIVITIES.forEach(activity -> activity.tables().stream().filter(table -> !tables.contains(table))
                .forEach(table -> missing.add(activity.name() + ": " + table)));
        assertThat(missing).as("tables named by an activity that the schema does not have").isEmpty();
        assertThat(PlatformProcessing.ACTIVITIES.stream().map(ProcessingRecord.PlatformActivity::module).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("identity", "access", "keys", "audit", "registry", "releases", "host", "payments", "ledger",
                        "privacy", "incidents");
    }
}
