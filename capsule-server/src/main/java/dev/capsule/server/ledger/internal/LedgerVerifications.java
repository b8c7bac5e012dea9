package dev.capsule.server.ledger.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.LedgerCheck;
import dev.capsule.server.ledger.LedgerEvent;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * A verification an operator (or an API key with {@code payments.read}) asks for through the API or the console: runs
 * {@link Ledger#verify()} and appends a {@link LedgerEvent.What#VERIFY} entry with its counts and first problem to
 * the audit log, outcome {@code failure} when an invariant is broken.
 */
@Component
class LedgerVerifications {
    private final Ledger ledger;
    private final ApplicationEventPublisher publisher;

    LedgerVerifications(Ledger ledger, ApplicationEventPublisher publisher) {
        this.ledger = ledger;
        this.publisher = publisher;
    }

    LedgerCheck run() {
        LedgerCheck check = ledger.verify();
        publisher.publishEvent(new LedgerEvent(LedgerEvent.What.VERIFY, check.ok() ? "success" : "failure", summary(check), actor()));
        return check;
    }

    /** Counts and the first problem, in a fixed format (the problems name ids and amounts, never user text). */
    static String summary(LedgerCheck check) {
        return "accounts=" + check.accounts() + " transfers=" + check.transfers() + " problems=" + check.problems().size()
                + (check.ok() ? "" : " first=" + check.problems().getFirst());
    }

    private static Optional<String> actor() {
        return Caller.of(SecurityContextHolder.getContext().getAuthentication())
                .flatMap(caller -> caller instanceof Caller.Operator operator ? operator.operatorId() : Optional.empty())
                .map(id -> "operator:" + id.value());
    }
}
