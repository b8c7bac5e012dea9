package dev.capsule.server.privacy.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.privacy.PersonalDataHolder;
import dev.capsule.testing.server.CapsuleServerTest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * No module can forget a person: every table (views only show tables' rows) of the migrated schema with a column that names an end user (by its
 * name: {@code user}, {@code payer}, {@code subject} or {@code person} as a word of it) is claimed by exactly one
 * {@link PersonalDataHolder}, or is in {@link #NOT_A_PERSONS_DATA} with the reason. A new module's table with a
 * {@code user_id} and no holder fails here.
 */
@CapsuleServerTest
class PersonalDataCoverageTest {
    static final Pattern SUBJECT_COLUMN = Pattern.compile("(^|.*_)(user|payer|subject|person)(_.*|$)");

    /** Tables with such a column that hold no end user's personal data, and why. */
    static final Map<String, String> NOT_A_PERSONS_DATA = Map.of(
            "keys_subject_keys", "the data-subject keys themselves: erasure destroys them (SubjectKeys.erase)",
            "keys_erased_subjects", "tombstones of destroyed keys: a key id and a time",
            "keys_event_outbox", "key events on their way to the audit log (key ids only)");

    @Autowired List<PersonalDataHolder> holders;
    @Autowired JdbcClient jdbc;

    @Test
    void everyTableWithASubjectColumnHasAHolder() {
        Set<String> withSubjectColumn = new TreeSet<>();
        jdbc.sql("""
                SELECT c.table_name, c.column_name FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.table_name NOT LIKE 'test\\_%'""")
                .query((rs, n) -> Map.entry(rs.getString(1), rs.getString(2))).list().stream()
                .filter(column -> SUBJECT_COLUMN.matcher(column.getValue()).matches())
                .forEach(column -> withSubjectColumn.add(column.getKey()));
        assertThat(withSubjectColumn).as("the check finds the host's tables").contains("host_shell_sessions", "host_consent_events");

        Set<String> claimed = new TreeSet<>();
        holders.forEach(holder -> claimed.addAll(holder.tables()));
        Set<String> unclaimed = new TreeSet<>(withSubjectColumn);
        unclaimed.removeAll(claimed);
        unclaimed.removeAll(NOT_A_PERSONS_DATA.keySet());
        assertThat(unclaimed).as("tables with a subject column that no PersonalDataHolder claims").isEmpty();
    }

    @Test
    void eachTableHasOneHolderAndEveryClaimedTableExists() {
        Map<String, String> owner = new HashMap<>();
        Set<String> existing = new TreeSet<>(jdbc.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                .query(String.class).list());
        for (PersonalDataHolder holder : holders) {
            assertThat(holder.name()).matches(PersonalDataHolder.NAME);
            for (String table : holder.tables()) {
                assertThat(owner.put(table, holder.name())).as(table + " is claimed twice").isNull();
                assertThat(existing).as(holder.name() + " claims a table the schema has").contains(table);
            }
            assertThat(holder.tables()).as(holder.name() + " rewrites only its own tables").containsAll(holder.rewrittenAfterErasure());
        }
        assertThat(NOT_A_PERSONS_DATA.keySet()).as("an exemption names a table no holder claims").doesNotContainAnyElementsOf(owner.keySet());
    }
}
