package dev.capsule.runtime.host;

/**
 * The host's payment sheet for {@code wx.requestPayment}. The mini-program never draws payment UI;
 * the host shows the order and the platform checks the request's signature and risk before paying.
 * Without a sheet, {@code wx.requestPayment} is absent.
 */
@FunctionalInterface
public interface PaymentSheet {
    /** Presents the order; returns the outcome. Must check {@code paySign} with the platform. */
    Outcome present(String appId, String userId, Request request);

    /** The fields of wx.requestPayment, as the mini-program gave them. */
    record Request(String timeStamp, String nonceStr, String packageValue, String signType, String paySign) {}

    /** paid, or refused with a reason the mini-program may see (cancelled, signature, risk…). */
    sealed interface Outcome {
        record Paid() implements Outcome {}

        record Refused(String reason) implements Outcome {}
    }
}
