package dev.capsule.runtime.internal;

import dev.capsule.runtime.host.PaymentSheet;
import tools.jackson.databind.JsonNode;

/** wx.requestPayment: the host's sheet shows the order and the platform checks paySign; the guest only asks. */
final class PaymentApis {
    static final int FIELD_CHARS_MAX = 1024;

    private PaymentApis() {}

    static ApiOutcome requestPayment(ApiContext s, JsonNode args) {
        String[] fields = {"timeStamp", "nonceStr", "package", "signType", "paySign"};
        String[] values = new String[fields.length];
        for (int i = 0; i < fields.length; i++) {
            values[i] = Json.text(args, fields[i]);
            if (values[i] == null || values[i].isEmpty() || values[i].length() > FIELD_CHARS_MAX) {
                return ApiOutcome.fail("parameter error: " + fields[i] + " must be a non-empty string");
            }
        }
        var request = new PaymentSheet.Request(values[0], values[1], values[2], values[3], values[4]);
        PaymentSheet.Outcome outcome = s.hostCall(() -> s.services().payment().orElseThrow().present(s.manifest().id(), s.userId(), request));
        return switch (outcome) {
            case PaymentSheet.Outcome.Paid paid -> {
                s.audit("wx.requestPayment", "paid", values[2]);
                yield new ApiOutcome.Ok(Json.object());
            }
            case PaymentSheet.Outcome.Refused refused -> {
                s.audit("wx.requestPayment", "refused", refused.reason());
                yield ApiOutcome.denied(refused.reason());
            }
        };
    }
}
