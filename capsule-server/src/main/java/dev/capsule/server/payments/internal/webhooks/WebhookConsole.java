package dev.capsule.server.payments.internal.webhooks;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.payments.WebhookEndpointId;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.platform.ProblemException;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * {@code /console/payments/webhooks}: every merchant's webhook endpoints and the recent deliveries with their status;
 * operators with {@code payments.manage} disable an endpoint or retry a delivery now, each after step-up.
 *
 * <p>Security guarantees: reading needs {@code payments.read}; changes need {@code payments.manage} and a fresh
 * second factor ({@link RequiresPermission#stepUp()}), are CSRF-protected forms, and a disable is audited as
 * {@code webhook-endpoint.disable} with the operator as actor. No secret or private key is ever on the page (only
 * public keys). URLs, failure texts and event types are printed escaped by Thymeleaf; the page has no script.
 */
@Controller
@ConsolePage
class WebhookConsole {
    static final String PAGE = "/console/payments/webhooks";

    private final WebhookEndpoints endpoints;
    private final WebhookDeliveryLog deliveries;

    WebhookConsole(WebhookEndpoints endpoints, WebhookDeliveryLog deliveries) {
        this.endpoints = endpoints;
        this.deliveries = deliveries;
    }

    @GetMapping(PAGE)
    @RequiresPermission(Permission.PAYMENTS_READ)
    String page(@RequestParam(name = "outcome", required = false) String outcome, Model model) {
        model.addAttribute("endpoints", endpoints.recent());
        model.addAttribute("deliveries", deliveries.recent());
        model.addAttribute("canManage", Caller.current().holds(Permission.PAYMENTS_MANAGE));
        model.addAttribute("message", outcome == null ? null : switch (outcome) {
            case "disabled" -> "Disabled: nothing more is sent to that endpoint and its pending deliveries were canceled.";
            case "retried" -> "Queued: the delivery is due now and a worker sends it within seconds.";
            default -> null;
        });
        return "console/webhooks";
    }

    @PostMapping(PAGE + "/{endpointId}/disable")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String disable(@PathVariable("endpointId") String endpointId) {
        WebhookEndpoint endpoint = WebhookEndpointId.parse(endpointId).flatMap(endpoints::find).orElseThrow(() ->
                new ProblemException(WebhookProblems.ENDPOINT_NOT_FOUND, "there is no webhook endpoint with that id"));
        endpoints.disable(endpoint.merchant(), endpoint.id(), "operator", Optional.of(Caller.current().actorId()));
        return "redirect:" + PAGE + "?outcome=disabled";
    }

    @PostMapping(PAGE + "/deliveries/{messageId}/{endpointId}/retry")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String retry(@PathVariable("messageId") String messageId, @PathVariable("endpointId") String endpointId) {
        WebhookEndpointId endpoint = WebhookEndpointId.parse(endpointId).orElseThrow(() ->
                new ProblemException(WebhookProblems.DELIVERY_NOT_FOUND, "there is no such delivery"));
        deliveries.retryNow(messageId, endpoint);
        return "redirect:" + PAGE + "?outcome=retried";
    }
}
