package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A purge's SQL is made only from checked parts, and its work per run and its schedule are bounded. */
class PurgeTest {
    private static Purge purge(String name, String table, String condition, Duration kept, int rows, int statements, Duration interval) {
        return new Purge(name, table, condition, kept, rows, statements, interval);
    }

    @Test
    void aWellFormedPurgeIsAcceptedAndStatesItsMostRowsPerRun() {
        Purge purge = purge("payments.nonces", "payments_nonce", "expires_at < :cutoff", Duration.ZERO, 10_000, 10, Duration.ofMinutes(5));
        assertThat(purge.rowsPerRunMax()).isEqualTo(100_000);
    }

    @Test
    void aTableThatIsNoPlainIdentifierIsRefused() {
        for (String table : new String[] {"rows; DROP TABLE x", "Rows", "public.rows", "", "r".repeat(64)}) {
            assertThatThrownBy(() -> purge("a.b", table, "t < :cutoff", Duration.ZERO, 1, 1, Duration.ofMinutes(1)))
                    .as(table).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(purge("a.b", "r".repeat(63), "t < :cutoff", Duration.ZERO, 1, 1, Duration.ofMinutes(1)).table()).hasSize(63);
    }

    @Test
    void aConditionWithoutCutoffOrWithASeparatorOrCommentIsRefused() {
        for (String condition : new String[] {"true", " ", "t < :cutoff; DELETE FROM x", "t < :cutoff -- x", "t < :cutoff /* x */",
                "t < :cutoff OR " + "x".repeat(Purge.CONDITION_CHARS_MAX)}) {
            assertThatThrownBy(() -> purge("a.b", "rows", condition, Duration.ZERO, 1, 1, Duration.ofMinutes(1)))
                    .as(condition).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void namesAreModuleDotWhat() {
        for (String name : new String[] {"nonces", "Payments.nonces", "payments.", "payments nonces", "a.b.c.d"}) {
            assertThatThrownBy(() -> purge(name, "rows", "t < :cutoff", Duration.ZERO, 1, 1, Duration.ofMinutes(1)))
                    .as(name).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void workPerRunRetentionAndIntervalAreBounded() {
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ZERO, 0, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ZERO, Purge.ROWS_PER_STATEMENT_MAX + 1, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ZERO, 1, Purge.STATEMENTS_PER_RUN_MAX + 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ofSeconds(-1), 1, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Purge.KEPT_FOR_MAX.plusDays(1), 1, 1, Duration.ofMinutes(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ZERO, 1, 1, Duration.ofMillis(999)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> purge("a.b", "rows", "t < :cutoff", Duration.ZERO, 1, 1, Purge.INTERVAL_MAX.plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(purge("a.b", "rows", "t < :cutoff", Purge.KEPT_FOR_MAX, Purge.ROWS_PER_STATEMENT_MAX, Purge.STATEMENTS_PER_RUN_MAX,
                Purge.INTERVAL_MAX).rowsPerRunMax()).isEqualTo(1_000_000);
    }
}
