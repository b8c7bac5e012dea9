package dev.capsule.server.ledger.internal;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The ledger API's problem types (docs/payments.md "The ledger"). */
final class LedgerProblems {
    static final ProblemType ACCOUNT_NOT_FOUND =
            new ProblemType("ledger-account-not-found", HttpStatus.NOT_FOUND, "No ledger account has this id");
    static final ProblemType TRANSFER_NOT_FOUND =
            new ProblemType("ledger-transfer-not-found", HttpStatus.NOT_FOUND, "No ledger transfer has this id");
    static final ProblemType INVALID_ID =
            new ProblemType("ledger-invalid-id", HttpStatus.BAD_REQUEST, "A ledger id is a UUID");

    private LedgerProblems() {
    }
}
