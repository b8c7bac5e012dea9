package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.Account;
import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.Transfer;
import dev.capsule.server.ledger.TransferFlag;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.platform.ProblemException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** The JSON (and console) shapes of accounts and transfers, and the parsing of ids from a path. */
final class LedgerViews {
    private LedgerViews() {
    }

    record AccountView(String id, int ledger, int code, List<String> flags, String userData, long debitsPending, long debitsPosted,
            long creditsPending, long creditsPosted, long creditBalance, Instant created) {
        static AccountView of(Account a) {
            return new AccountView(a.id().toString(), a.ledger(), a.code(), a.flags().stream().sorted().map(AccountFlag::name)
                    .map(LedgerViews::lower).toList(), a.userData(), a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted(),
                    a.creditBalance(), a.createdAt());
        }
    }

    record TransferView(String id, String debitAccount, String creditAccount, long amount, String pendingId, int ledger, int code,
            List<String> flags, long timeoutSeconds, String userData, String state, Instant created) {
        static TransferView of(Transfer t) {
            return new TransferView(t.id().toString(), t.debitAccount().toString(), t.creditAccount().toString(), t.amount(),
                    t.pendingId().map(TransferId::toString).orElse(null), t.ledger(), t.code(),
                    t.flags().stream().sorted().map(TransferFlag::name).map(LedgerViews::lower).toList(), t.timeout().toSeconds(), t.userData(),
                    lower(t.state().name()), t.createdAt());
        }
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static AccountId accountId(String text) {
        return new AccountId(uuid(text));
    }

    static TransferId transferId(String text) {
        return new TransferId(uuid(text));
    }

    private static UUID uuid(String text) {
        try {
            if (text.length() == 36) {
                UUID id = UUID.fromString(text);
                if (id.getMostSignificantBits() != 0 || id.getLeastSignificantBits() != 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ProblemException(LedgerProblems.INVALID_ID, "a ledger id is a non-zero UUID (8-4-4-4-12 hexadecimal digits)");
    }
}
