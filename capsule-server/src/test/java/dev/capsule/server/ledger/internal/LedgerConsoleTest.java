package dev.capsule.server.ledger.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferResult;
import dev.capsule.server.platform.ServerConsole;
import dev.capsule.testing.server.SharedPostgres;
import dev.capsule.testing.server.TestDirectories;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** {@code capsule ledger verify} on a real PostgreSQL of its own: exit codes, the problems it prints, usage errors. */
class LedgerConsoleTest {
    record Result(int exit, String out, String err) {
    }

    private String database;
    private Path dataDir;

    @BeforeEach
    void newDatabase() throws IOException {
        database = SharedPostgres.newDatabase();
        dataDir = TestDirectories.create("ledger-console");
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--db-url";
        all[args.length + 1] = database;
        all[args.length + 2] = "--data-dir";
        all[args.length + 3] = dataDir.toString();
        int exit = LedgerConsole.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private ConfigurableApplicationContext context() {
        return ServerConsole.start(List.of("--capsule.db.url=" + database, "--capsule.data-dir=" + dataDir), LedgerConsoleConfiguration.class);
    }

    @Test
    void verifyPassesOnAConsistentLedgerAndFailsNamingTheBrokenAccount() {
        Result empty = run("verify");
        assertThat(empty.exit()).isZero();
        assertThat(empty.out()).isEqualTo("ledger verified: 0 accounts, 0 transfers, 0 problems\n");
        AccountId merchant;
        try (ConfigurableApplicationContext context = context()) {
            Ledger ledger = context.getBean(Ledger.class);
            LedgerFixture fixture = new LedgerFixture(ledger);
            AccountId wallet = fixture.wallet(100);
            merchant = fixture.account(LedgerFixture.EUR);
            assertThat(ledger.createTransfers(List.of(LedgerFixture.transfer(wallet, merchant, 30, TransferFlag.PENDING),
                    LedgerFixture.transfer(wallet, merchant, 20)))).containsOnly(TransferResult.OK);
        }
        Result good = run("verify");
        assertThat(good.exit()).isZero();
        assertThat(good.out()).isEqualTo("ledger verified: 3 accounts, 3 transfers, 0 problems\n");
        assertThat(good.err()).isEmpty();

        try (ConfigurableApplicationContext context = context()) {
            context.getBean(JdbcClient.class).sql("UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE id = :id")
                    .param("id", merchant.value()).update();
        }
        Result broken = run("verify");
        assertThat(broken.exit()).isEqualTo(LedgerConsole.EXIT_FAILED);
        assertThat(broken.out()).contains("problem: account " + merchant + ": stored balances")
                .contains("problem: ledger 978: total debits").endsWith("ledger BROKEN: 3 accounts, 3 transfers, 2 problems\n");
    }

    @Test
    void usageErrorsAreOneLineAndExitTwo() {
        for (String[] args : List.of(new String[0], new String[] {"balance"}, new String[] {"verify", "now"}, new String[] {"verify", "--db-url"})) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int exit = LedgerConsole.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(exit).as(String.join(" ", args)).isEqualTo(LedgerConsole.EXIT_USAGE);
            assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("capsule ledger: ").hasLineCount(1);
            assertThat(out.size()).isZero();
        }
        Result help = run("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).startsWith("Usage: capsule ledger verify");
    }

}
