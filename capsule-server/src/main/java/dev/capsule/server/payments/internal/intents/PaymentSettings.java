package dev.capsule.server.payments.internal.intents;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Payment intents' settings ({@code capsule.payments.*}, docs/payments.md "Limits").
 *
 * @param stepUpAmountMinor the risk rule: a payment of at least this many minor units (of any currency) needs the
 *                          payer's step-up ({@code PayerStepUp}) before it is charged; 0 = every payment
 * @param captureHoldHours  how long a manual-capture hold lasts before the ledger voids it by itself
 */
@ConfigurationProperties("capsule.payments")
public record PaymentSettings(
        @DefaultValue("" + STEP_UP_AMOUNT_MINOR) long stepUpAmountMinor,
        @DefaultValue("" + CAPTURE_HOLD_HOURS) int captureHoldHours) {
    public static final long STEP_UP_AMOUNT_MINOR = 10_000;
    public static final int CAPTURE_HOLD_HOURS = 168;
    public static final int CAPTURE_HOLD_HOURS_MAX = 24 * 30;

    public PaymentSettings {
        if (stepUpAmountMinor < 0) {
            throw new IllegalArgumentException("capsule.payments.step-up-amount-minor is 0 or more");
        }
        if (captureHoldHours < 1 || captureHoldHours > CAPTURE_HOLD_HOURS_MAX) {
            throw new IllegalArgumentException("capsule.payments.capture-hold-hours is 1 to " + CAPTURE_HOLD_HOURS_MAX);
        }
    }

    /** Whether the risk rule asks for the payer's step-up before {@code amountMinor} is charged. */
    public boolean needsStepUp(long amountMinor) {
        return amountMinor >= stepUpAmountMinor;
    }
}
