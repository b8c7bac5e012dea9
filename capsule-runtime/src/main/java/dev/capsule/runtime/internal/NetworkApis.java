package dev.capsule.runtime.internal;

import dev.capsule.runtime.net.FailureKind;
import dev.capsule.runtime.net.HttpOutcome;
import dev.capsule.runtime.net.HttpRequestSpec;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * wx.request: checks the session's quota (in flight, per minute), shapes the body as WeChat does,
 * and hands the request to the guarded client, which enforces the allowlist, HTTPS, address checks,
 * redirects, timeouts and the response cap. Every request is audited with its host and outcome.
 */
final class NetworkApis {
    static final long TIMEOUT_MILLIS_MAX = 60_000;
    /** Largest response body delivered as parsed JSON (dataType json); larger bodies arrive as text. */
    static final int JSON_PARSE_BYTES_MAX = 2 * 1024 * 1024;
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS");
    /** Failures that are the policy's refusals (audited as denials once, where reported), not the network's. */
    static final Set<FailureKind> POLICY_DENIALS =
            Set.of(FailureKind.HOST_NOT_ALLOWED, FailureKind.SCHEME_NOT_ALLOWED, FailureKind.ADDRESS_BLOCKED);

    private NetworkApis() {}

    static ApiOutcome request(ApiContext s, JsonNode args) {
        String url = Json.text(args, "url");
        if (url == null || url.isEmpty()) {
            return ApiOutcome.fail("parameter error: url must be a string");
        }
        String method = Json.text(args, "method") == null ? "GET" : Json.text(args, "method").toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            return ApiOutcome.fail("parameter error: method must be one of " + String.join(", ", METHODS.stream().sorted().toList()));
        }
        String responseType = Json.text(args, "responseType");
        if (responseType != null && !responseType.equals("text")) {
            return ApiOutcome.fail("responseType '" + responseType + "' is not supported (text only)");
        }
        JsonNode timeoutNode = args.get("timeout");
        long timeout = timeoutNode != null && timeoutNode.isNumber() ? timeoutNode.asLong() : TIMEOUT_MILLIS_MAX;
        if (timeout <= 0 || timeout > TIMEOUT_MILLIS_MAX) {
            timeout = TIMEOUT_MILLIS_MAX;
        }
        Map<String, String> headers = headers(args);
        JsonNode data = args.get("data");
        byte[] body = new byte[0];
        if (data != null && !data.isNull()) {
            if (method.equals("GET") || method.equals("HEAD")) {
                url = withQuery(url, data);
            } else if (data.isString()) {
                body = data.stringValue().getBytes(StandardCharsets.UTF_8);
            } else if (isForm(headers)) {
                body = formEncode(data).getBytes(StandardCharsets.UTF_8);
            } else {
                body = Json.write(data).getBytes(StandardCharsets.UTF_8);
                headers.putIfAbsent("content-type", "application/json");
            }
        }
        // The client validates the request (URL, headers, body size) and answers a Failure, never throws.
        HttpRequestSpec spec = new HttpRequestSpec(url, method, headers, body, Duration.ofMillis(timeout));
        String quota = s.networkQuota().tryStart(System.currentTimeMillis());
        if (quota != null) {
            s.audit("wx.request", "denied", quota);
            return ApiOutcome.fail(quota);
        }
        String dataType = Json.text(args, "dataType");
        boolean json = dataType == null || dataType.equals("json");
        String shownUrl = url;
        CompletableFuture<ApiOutcome> result = s.http().send(spec, s.manifest().network().request())
                .thenApply(outcome -> toApiOutcome(s, shownUrl, outcome, json));
        result.whenComplete((r, e) -> s.networkQuota().finished());
        return new ApiOutcome.Later(result);
    }

    private static ApiOutcome toApiOutcome(ApiContext s, String url, HttpOutcome outcome, boolean json) {
        String host = hostOf(url);
        return switch (outcome) {
            case HttpOutcome.Response r -> {
                s.audit("wx.request", "status " + r.status(), host);
                String text = new String(r.body(), StandardCharsets.UTF_8);
                ObjectNode result = Json.object().put("statusCode", r.status());
                JsonNode parsed = null;
                // Parsing a huge document would cost the guest's whole per-event memory budget when it
                // is rebuilt as JavaScript objects; beyond the cap the guest gets the text, as for non-JSON.
                if (json && r.body().length <= JSON_PARSE_BYTES_MAX) {
                    try {
                        parsed = Json.parse(text);
                    } catch (RuntimeException e) {
                        parsed = null; // WeChat hands back the text when it is not JSON
                    }
                }
                if (parsed != null) {
                    result.set("data", parsed);
                } else {
                    result.put("data", text);
                }
                ObjectNode header = result.putObject("header");
                r.headers().forEach((name, values) -> header.put(name, String.join(", ", values)));
                yield new ApiOutcome.Ok(result);
            }
            case HttpOutcome.Failure f -> {
                boolean denied = POLICY_DENIALS.contains(f.kind());
                if (!denied) {
                    s.audit("wx.request", "failed", host + ": " + f.message()); // denials are audited once, when reported
                }
                yield new ApiOutcome.Fail(f.message(), denied);
            }
        };
    }

    static String hostOf(String url) {
        try {
            String host = java.net.URI.create(url).getHost();
            return host == null ? "(no host)" : host;
        } catch (IllegalArgumentException e) {
            return "(bad url)";
        }
    }

    /** The {@code header} option as names to values (non-string values as their JSON), in the guest's order; the client judges them. */
    static Map<String, String> headers(JsonNode args) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (args.get("header") instanceof ObjectNode h) {
            for (var e : h.properties()) {
                headers.put(e.getKey(), e.getValue().isString() ? e.getValue().stringValue() : Json.write(e.getValue()));
            }
        }
        return headers;
    }

    private static boolean isForm(Map<String, String> headers) {
        return headers.entrySet().stream().anyMatch(e -> e.getKey().equalsIgnoreCase("content-type")
                && e.getValue().toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"));
    }

    private static String formEncode(JsonNode data) {
        if (!(data instanceof ObjectNode o)) {
            return Json.write(data);
        }
        StringBuilder out = new StringBuilder();
        for (var e : o.properties()) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            String v = e.getValue().isString() ? e.getValue().stringValue() : Json.write(e.getValue());
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    private static String withQuery(String url, JsonNode data) {
        String query = data.isString() ? data.stringValue() : formEncode(data);
        if (query.isEmpty()) {
            return url;
        }
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        return base + (base.contains("?") ? "&" : "?") + query;
    }

}
