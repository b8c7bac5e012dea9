package dev.capsule.server.identity.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.server.access.Role;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The operators and their recovery codes in PostgreSQL. Every check-and-change that must hold across
 * server nodes is one atomic statement (the TOTP replay rule, burning a recovery code) or runs under a
 * transaction-scoped advisory lock (bootstrap, the last-admin rule).
 */
@Component
class OperatorStore {
    /** A list request returns at most this many operators. */
    static final int LIST_OPERATORS_MAX = 1_000;
    private static final String COLUMNS = "id, username, password_hash, roles, must_change_password, mfa_enrolled, "
            + "totp_secret_sealed, totp_pending_secret_sealed, totp_last_step, disabled, created_at";
    /** Advisory lock keys (any constant bigint unique to the purpose). */
    private static final long BOOTSTRAP_LOCK = 0x6361_7073_0001L;
    private static final long ADMIN_SET_LOCK = 0x6361_7073_0002L;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    OperatorStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    Optional<Operator> findByUsername(String username) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM operators WHERE username = :u").param("u", username)
                .query(OperatorStore::row).optional();
    }

    Optional<Operator> findById(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM operators WHERE id = :id").param("id", id)
                .query(OperatorStore::row).optional();
    }

    List<Operator> list() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM operators ORDER BY username LIMIT :max")
                .param("max", LIST_OPERATORS_MAX).query(OperatorStore::row).list();
    }

    /** Inserts a new operator who must change the password; false if the username is taken. */
    boolean insert(UUID id, String username, String passwordHash, Set<Role> roles, Instant now) {
        return jdbc.sql("""
                INSERT INTO operators (id, username, password_hash, roles, must_change_password, created_at)
                VALUES (:id, :u, :h, :roles, true, :now) ON CONFLICT (username) DO NOTHING""")
                .param("id", id).param("u", username).param("h", passwordHash)
                .param("roles", codes(roles)).param("now", Timestamp.from(now))
                .update() == 1;
    }

    /**
     * Runs {@code create} (which inserts the first operator) only if there is no operator yet, under a
     * lock so that nodes starting together create exactly one. Returns whether it ran.
     */
    boolean ifNoOperators(Runnable create) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:k)").param("k", BOOTSTRAP_LOCK).query().singleRow();
            long count = jdbc.sql("SELECT count(*) FROM operators").query(Long.class).single();
            if (count > 0) {
                return false;
            }
            create.run();
            return true;
        }));
    }

    void changePassword(UUID id, String passwordHash, Instant now) {
        jdbc.sql("UPDATE operators SET password_hash = :h, must_change_password = false, password_changed_at = :now WHERE id = :id")
                .param("h", passwordHash).param("now", Timestamp.from(now)).param("id", id).update();
    }

    void resetPassword(UUID id, String passwordHash) {
        jdbc.sql("UPDATE operators SET password_hash = :h, must_change_password = true WHERE id = :id")
                .param("h", passwordHash).param("id", id).update();
    }

    void setPendingTotp(UUID id, byte[] sealed) {
        jdbc.sql("UPDATE operators SET totp_pending_secret_sealed = :s WHERE id = :id").param("s", sealed).param("id", id).update();
    }

    /**
     * Makes the pending secret (exactly {@code pendingSealed}, the one the code was checked against) the
     * enrolled one, with {@code step} as its last accepted step, and replaces the recovery codes; false if
     * the pending secret changed meanwhile.
     */
    boolean confirmTotp(UUID id, byte[] pendingSealed, long step, List<Sha256> recoveryHashes) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            int updated = jdbc.sql("""
                    UPDATE operators SET totp_secret_sealed = totp_pending_secret_sealed, totp_pending_secret_sealed = NULL,
                        mfa_enrolled = true, totp_last_step = :step
                    WHERE id = :id AND totp_pending_secret_sealed = :pending""")
                    .param("step", step).param("id", id).param("pending", pendingSealed).update();
            if (updated != 1) {
                return false;
            }
            replaceRecoveryCodesInTransaction(id, recoveryHashes);
            return true;
        }));
    }

    /** The replay rule, atomically: true only if {@code step} is newer than the last accepted one. */
    boolean acceptTotpStep(UUID id, long step) {
        return jdbc.sql("UPDATE operators SET totp_last_step = :step WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step)")
                .param("step", step).param("id", id).update() == 1;
    }

    List<Sha256> recoveryCodeHashes(UUID id) {
        return jdbc.sql("SELECT code_hash FROM operator_recovery_codes WHERE operator_id = :id").param("id", id)
                .query((rs, n) -> new Sha256(rs.getBytes(1))).list();
    }

    /** Deletes one recovery code; true only for the one call that deleted it (single use across nodes). */
    boolean burnRecoveryCode(UUID id, Sha256 hash) {
        return jdbc.sql("DELETE FROM operator_recovery_codes WHERE operator_id = :id AND code_hash = :h")
                .param("id", id).param("h", hash.bytes()).update() == 1;
    }

    void replaceRecoveryCodes(UUID id, List<Sha256> hashes) {
        transactions.executeWithoutResult(status -> replaceRecoveryCodesInTransaction(id, hashes));
    }

    private void replaceRecoveryCodesInTransaction(UUID id, List<Sha256> hashes) {
        jdbc.sql("DELETE FROM operator_recovery_codes WHERE operator_id = :id").param("id", id).update();
        for (Sha256 hash : hashes) {
            jdbc.sql("INSERT INTO operator_recovery_codes (operator_id, code_hash) VALUES (:id, :h)")
                    .param("id", id).param("h", hash.bytes()).update();
        }
    }

    /** Forgets the second factor: the operator must enrol again at the next sign-in. */
    void resetMfa(UUID id) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("""
                    UPDATE operators SET mfa_enrolled = false, totp_secret_sealed = NULL, totp_pending_secret_sealed = NULL
                    WHERE id = :id""").param("id", id).update();
            jdbc.sql("DELETE FROM operator_recovery_codes WHERE operator_id = :id").param("id", id).update();
        });
    }

    /**
     * Applies a change to the set of enabled platform admins (roles, disabling) unless it would leave
     * none: {@code change} runs under a lock, and the transaction rolls back if no enabled admin is left.
     * Returns false when it was rolled back for that reason.
     */
    boolean keepingAnAdmin(Runnable change) {
        return Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:k)").param("k", ADMIN_SET_LOCK).query().singleRow();
            change.run();
            long admins = jdbc.sql("SELECT count(*) FROM operators WHERE NOT disabled AND :admin = ANY (roles)")
                    .param("admin", Role.PLATFORM_ADMIN.code()).query(Long.class).single();
            if (admins == 0) {
                status.setRollbackOnly();
                return false;
            }
            return true;
        }));
    }

    void setRoles(UUID id, Set<Role> roles) {
        jdbc.sql("UPDATE operators SET roles = :roles WHERE id = :id").param("roles", codes(roles)).param("id", id).update();
    }

    void setDisabled(UUID id, boolean disabled) {
        jdbc.sql("UPDATE operators SET disabled = :d WHERE id = :id").param("d", disabled).param("id", id).update();
    }

    <T> T inTransaction(Supplier<T> work) {
        return transactions.execute(status -> work.get());
    }

    private static String[] codes(Set<Role> roles) {
        return roles.stream().map(Role::code).sorted().toArray(String[]::new);
    }

    private static Operator row(ResultSet rs, int n) throws SQLException {
        Array array = rs.getArray("roles");
        Set<Role> roles = EnumSet.noneOf(Role.class);
        Arrays.stream((String[]) array.getArray()).forEach(code -> roles.add(Role.fromCode(code)
                .orElseThrow(() -> new IllegalStateException("unknown role code in the database: " + code))));
        long step = rs.getLong("totp_last_step");
        Long lastStep = rs.wasNull() ? null : step;
        return new Operator(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("password_hash"), roles,
                rs.getBoolean("must_change_password"), rs.getBoolean("mfa_enrolled"), rs.getBytes("totp_secret_sealed"),
                rs.getBytes("totp_pending_secret_sealed"), lastStep, rs.getBoolean("disabled"),
                rs.getTimestamp("created_at").toInstant());
    }
}
