package dev.capsule.server.ledger.internal;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** The {@code capsule ledger} console context: the ledger and its verifier on the server's database, nothing else. */
@Configuration(proxyBeanMethods = false)
@Import({JdbcLedger.class, LedgerVerifier.class, BalanceDeltas.class})
class LedgerConsoleConfiguration {
}
