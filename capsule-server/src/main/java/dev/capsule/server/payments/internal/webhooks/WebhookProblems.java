package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.platform.ProblemType;
import org.springframework.http.HttpStatus;

/** The webhooks part's problem types (listed in docs/payments.md, "Webhooks"). */
public final class WebhookProblems {
    /** The URL is not an https URL the SSRF guard would send to (IP literal, local name, user info, too long...). */
    public static final ProblemType URL_REFUSED = new ProblemType("webhook-url-refused", HttpStatus.UNPROCESSABLE_CONTENT,
            "The webhook URL is not allowed");
    /** An event type that Capsule does not send. */
    public static final ProblemType EVENT_UNKNOWN = new ProblemType("webhook-event-unknown", HttpStatus.UNPROCESSABLE_CONTENT,
            "Unknown webhook event type");
    /** The merchant already has the most enabled endpoints allowed. */
    public static final ProblemType ENDPOINTS_LIMIT = new ProblemType("webhook-endpoints-limit", HttpStatus.CONFLICT,
            "Too many webhook endpoints");
    /** No endpoint with that id belongs to this merchant (another merchant's endpoint answers the same). */
    public static final ProblemType ENDPOINT_NOT_FOUND = new ProblemType("webhook-endpoint-not-found", HttpStatus.NOT_FOUND,
            "No such webhook endpoint");
    /** The endpoint is disabled: it cannot be rotated, and its deliveries cannot be retried. */
    public static final ProblemType ENDPOINT_DISABLED = new ProblemType("webhook-endpoint-disabled", HttpStatus.CONFLICT,
            "The webhook endpoint is disabled");

    /** No delivery of that message to that endpoint. */
    public static final ProblemType DELIVERY_NOT_FOUND = new ProblemType("webhook-delivery-not-found", HttpStatus.NOT_FOUND,
            "No such webhook delivery");
    /** The delivery succeeded or was canceled: there is nothing to retry. */
    public static final ProblemType DELIVERY_FINISHED = new ProblemType("webhook-delivery-finished", HttpStatus.CONFLICT,
            "The webhook delivery is finished");
    /** No {@code IdempotentRequests} implementation is installed: merchant POSTs are refused rather than run unrecorded. */
    public static final ProblemType IDEMPOTENCY_UNAVAILABLE = new ProblemType("idempotency-unavailable", HttpStatus.SERVICE_UNAVAILABLE,
            "Idempotency records are unavailable");

    private WebhookProblems() {
    }
}
