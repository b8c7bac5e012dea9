package dev.capsule.server.payments.internal.intents;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A payment intent's status, exactly Stripe's, and the one transition table of the state machine: a status changes
 * only to one of its {@link #next()} statuses ({@link IntentTransitions} refuses anything else, so no code path can
 * invent a transition). The table is printed in docs/payments.md ("The state machine").
 */
public enum IntentStatus {
    REQUIRES_PAYMENT_METHOD("requires_payment_method"),
    REQUIRES_CONFIRMATION("requires_confirmation"),
    REQUIRES_ACTION("requires_action"),
    PROCESSING("processing"),
    REQUIRES_CAPTURE("requires_capture"),
    SUCCEEDED("succeeded"),
    CANCELED("canceled");

    private final String wire;

    IntentStatus(String wire) {
        this.wire = wire;
    }

    /** The API's name ({@code requires_payment_method}…). */
    public String wire() {
        return wire;
    }

    public static Optional<IntentStatus> ofWire(String text) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(text)).findFirst();
    }

    /** The statuses this one may change to. */
    public Set<IntentStatus> next() {
        return switch (this) {
            // confirm (with the method it brings or the one attached at creation): a card goes processing, a wallet
            // payment (decided in the confirming transaction) straight to its outcome; the merchant's cancel; expiry
            case REQUIRES_PAYMENT_METHOD, REQUIRES_CONFIRMATION -> EnumSet.of(PROCESSING, SUCCEEDED, REQUIRES_CAPTURE, CANCELED);
            // the cardholder answers the issuer's challenge in the sheet; the merchant's cancel; expiry
            case REQUIRES_ACTION -> EnumSet.of(PROCESSING, CANCELED);
            // the acquirer's or the ledger's answer; a timeout keeps it processing (retried with the same reference)
            case PROCESSING -> EnumSet.of(SUCCEEDED, REQUIRES_CAPTURE, REQUIRES_ACTION, REQUIRES_PAYMENT_METHOD);
            case REQUIRES_CAPTURE -> EnumSet.of(SUCCEEDED, CANCELED);
            // terminal: a refund is a new object, never a status change
            case SUCCEEDED, CANCELED -> EnumSet.noneOf(IntentStatus.class);
        };
    }

    public boolean canChangeTo(IntentStatus to) {
        return next().contains(to);
    }

    /** Whether the payer may still pay it (the sheet, confirm). */
    public boolean payable() {
        return this == REQUIRES_PAYMENT_METHOD || this == REQUIRES_CONFIRMATION;
    }

    /** Whether the merchant may cancel it (Stripe: any status but processing, succeeded and canceled). */
    public boolean cancelable() {
        return canChangeTo(CANCELED);
    }

    /** Whether money was taken or held (the sheet answers already-paid). */
    public boolean paid() {
        return this == SUCCEEDED || this == REQUIRES_CAPTURE || this == PROCESSING;
    }
}
