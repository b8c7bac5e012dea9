package dev.capsule.server.ledger.internal;

import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.TransferFlag;
import java.util.EnumSet;
import java.util.Set;

/** The flags as the tables store them: one bit each, fixed here (never an enum's ordinal), as V90 documents. */
final class LedgerFlags {
    static final int DEBITS_MUST_NOT_EXCEED_CREDITS = 1;
    static final int CREDITS_MUST_NOT_EXCEED_DEBITS = 2;
    static final int CLOSED = 4;
    static final int LINKED = 1;
    static final int PENDING = 2;
    static final int POST_PENDING = 4;
    static final int VOID_PENDING = 8;

    private LedgerFlags() {
    }

    static int bit(AccountFlag flag) {
        return switch (flag) {
            case DEBITS_MUST_NOT_EXCEED_CREDITS -> DEBITS_MUST_NOT_EXCEED_CREDITS;
            case CREDITS_MUST_NOT_EXCEED_DEBITS -> CREDITS_MUST_NOT_EXCEED_DEBITS;
            case CLOSED -> CLOSED;
        };
    }

    static int bit(TransferFlag flag) {
        return switch (flag) {
            case LINKED -> LINKED;
            case PENDING -> PENDING;
            case POST_PENDING_TRANSFER -> POST_PENDING;
            case VOID_PENDING_TRANSFER -> VOID_PENDING;
        };
    }

    static int accountBits(Set<AccountFlag> flags) {
        return flags.stream().mapToInt(LedgerFlags::bit).reduce(0, (a, b) -> a | b);
    }

    static int transferBits(Set<TransferFlag> flags) {
        return flags.stream().mapToInt(LedgerFlags::bit).reduce(0, (a, b) -> a | b);
    }

    static Set<AccountFlag> accountFlags(int bits) {
        EnumSet<AccountFlag> flags = EnumSet.noneOf(AccountFlag.class);
        for (AccountFlag flag : AccountFlag.values()) {
            if ((bits & bit(flag)) != 0) {
                flags.add(flag);
            }
        }
        return flags;
    }

    static Set<TransferFlag> transferFlags(int bits) {
        EnumSet<TransferFlag> flags = EnumSet.noneOf(TransferFlag.class);
        for (TransferFlag flag : TransferFlag.values()) {
            if ((bits & bit(flag)) != 0) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
