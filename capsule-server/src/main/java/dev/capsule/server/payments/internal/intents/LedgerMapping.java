package dev.capsule.server.payments.internal.intents;

import dev.capsule.server.ledger.AccountFlag;
import dev.capsule.server.ledger.AccountId;
import dev.capsule.server.ledger.AccountResult;
import dev.capsule.server.ledger.Ledger;
import dev.capsule.server.ledger.NewAccount;
import dev.capsule.server.ledger.TransferId;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.PayerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * How payments map onto the ledger (docs/payments.md, "The ledger mapping"): one ledger per currency (its ISO 4217
 * numeric code); account codes 1 wallet, 2 merchant balance (both may never be overdrawn), 3 platform fees, 4 acquirer
 * clearing, 5 wallet funding; account and transfer ids are name-based UUIDs (version 5, SHA-1, under
 * {@link #NAMESPACE}) of what they are, so every node computes the same id and a retried step reuses its transfer id
 * (the ledger answers {@code EXISTS} instead of moving money twice).
 */
public final class LedgerMapping {
    /** The namespace of every payments name-based UUID (a fixed random UUID; never change it). */
    static final UUID NAMESPACE = UUID.fromString("5b0d7c1e-8f5e-4c35-9a57-0e3f2a1c6d44");

    /** Account codes. */
    public enum Kind {
        WALLET(1, true), MERCHANT(2, true), FEES(3, false), CLEARING(4, false), FUNDING(5, false);

        final int code;
        final boolean neverOverdrawn;

        Kind(int code, boolean neverOverdrawn) {
            this.code = code;
            this.neverOverdrawn = neverOverdrawn;
        }

        public int code() {
            return code;
        }
    }

    /** Transfer codes: why money moved. */
    public enum Purpose {
        CHARGE(1), HOLD(2), CAPTURE(3), RELEASE(4), REFUND(5), CREDIT(6);

        final int code;

        Purpose(int code) {
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private LedgerMapping() {
    }

    /** The ledger of a currency: its ISO 4217 numeric code. */
    public static int ledger(String currency) {
        return Currency.getInstance(currency).getNumericCode();
    }

    public static AccountId wallet(PayerId payer, String currency) {
        return account(Kind.WALLET, "payer:" + payer.value(), currency);
    }

    public static AccountId merchant(MerchantId merchant, String currency) {
        return account(Kind.MERCHANT, merchant.value(), currency);
    }

    public static AccountId clearing(String acquirer, String currency) {
        return account(Kind.CLEARING, acquirer, currency);
    }

    public static AccountId funding(String currency) {
        return account(Kind.FUNDING, "platform", currency);
    }

    static AccountId account(Kind kind, String owner, String currency) {
        return new AccountId(nameUuid("account:" + kind.code + ":" + owner + ":" + currency));
    }

    /** The transfer id of one step of one payment ({@code pi_…}, purpose, step such as the attempt or refund id). */
    public static TransferId transfer(String subject, Purpose purpose, String step) {
        return new TransferId(nameUuid("transfer:" + subject + ":" + purpose.wire() + ":" + step));
    }

    /**
     * Creates the account if it does not exist yet (an existing one answers {@code EXISTS}). {@code userData} is what
     * the ledger shows for it: a merchant id, an acquirer name, or for a wallet nothing that names the payer.
     */
    static void ensure(Ledger ledger, AccountId id, Kind kind, String currency, String userData) {
        Set<AccountFlag> flags = kind.neverOverdrawn ? Set.of(AccountFlag.DEBITS_MUST_NOT_EXCEED_CREDITS) : Set.of();
        AccountResult result = ledger.createAccounts(List.of(new NewAccount(id, ledger(currency), kind.code, flags, userData))).getFirst();
        if (!result.applied()) {
            throw new IllegalStateException("the ledger refused payments account " + id + ": " + result);
        }
    }

    /** RFC 9562 version 5 (SHA-1 name-based) UUID of {@code name} in {@link #NAMESPACE}. */
    static UUID nameUuid(String name) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(ByteBuffer.allocate(16).putLong(NAMESPACE.getMostSignificantBits())
                    .putLong(NAMESPACE.getLeastSignificantBits()).array());
            byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }
}
