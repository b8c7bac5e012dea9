package dev.capsule.server.platform.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /csp-reports}: where browsers report Content-Security-Policy violations of every page the server
 * serves (the console's and the shell's policies name it in {@code report-uri}). Public (a browser reports without
 * credentials of its own), and bounded: a body of at most {@link #BODY_BYTES_MAX} bytes, at most
 * {@link #LOGGED_PER_MINUTE_MAX} reports a minute logged on this node (the rest only counted). Every report counts
 * in the Micrometer counter {@value #METER} with the tag {@code directive} (the violated directive, or
 * {@code other}/{@code unreadable}).
 *
 * <p>Security guarantees: nothing of a report is trusted or stored; a log line holds the directive (one of the
 * known CSP directive names) and the document's and blocked resource's paths reduced to {@code [A-Za-z0-9/._:-]}
 * and {@link #LOGGED_CHARS_MAX} characters, so a report cannot forge log lines or fill the disk; the tag's values
 * are a closed set, so reports cannot create unbounded metrics.
 */
@RestController
@Hidden
class CspReportController {
    static final String PATH = "/csp-reports";
    static final String METER = "capsule.csp.reports";
    /** Largest report body read (a report is well under 2 KiB; larger ones are refused with 413). */
    static final int BODY_BYTES_MAX = 8 * 1024;
    /** Reports logged per minute on this node; the others are counted only. */
    static final int LOGGED_PER_MINUTE_MAX = 60;
    /** Characters of a URL kept in a log line. */
    static final int LOGGED_CHARS_MAX = 120;
    static final Set<String> DIRECTIVES = Set.of("default-src", "script-src", "script-src-elem", "script-src-attr", "style-src",
            "style-src-elem", "style-src-attr", "img-src", "font-src", "connect-src", "media-src", "object-src", "frame-src",
            "child-src", "worker-src", "manifest-src", "base-uri", "form-action", "frame-ancestors", "require-trusted-types-for",
            "trusted-types");
    private static final Logger log = LoggerFactory.getLogger(CspReportController.class);

    private final MeterRegistry meters;
    private final JsonMapper json;
    private final Clock clock;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private long windowMinute = -1;
    private int loggedInWindow;

    @Autowired
    CspReportController(MeterRegistry meters, JsonMapper json) {
        this(meters, json, Clock.systemUTC());
    }

    CspReportController(MeterRegistry meters, JsonMapper json, Clock clock) {
        this.meters = meters;
        this.json = json;
        this.clock = clock;
    }

    @PostMapping(PATH)
    ResponseEntity<Void> report(HttpServletRequest request) throws IOException {
        byte[] body = readBounded(request.getInputStream());
        JsonNode report = parse(body);
        String directive = report == null ? "unreadable" : directive(report);
        counter(directive).increment();
        if (report != null && mayLog()) {
            log.warn("CSP violation: directive={} document={} blocked={}", directive, reduced(text(report, "document-uri", "documentURL")),
                    reduced(text(report, "blocked-uri", "blockedURL")));
        }
        return ResponseEntity.noContent().build();
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(BODY_BYTES_MAX + 1);
        if (body.length > BODY_BYTES_MAX) {
            throw new ProblemException(ProblemType.REQUEST_TOO_LARGE, "a CSP report is at most " + BODY_BYTES_MAX + " bytes");
        }
        return body;
    }

    /** The report object: {@code csp-report} of report-uri, or the first {@code body} of the Reporting API; null if neither. */
    private JsonNode parse(byte[] body) {
        try {
            JsonNode root = json.readTree(body);
            if (root == null) {
                return null;
            }
            if (root.isObject() && root.get("csp-report") != null && root.get("csp-report").isObject()) {
                return root.get("csp-report");
            }
            if (root.isArray() && !root.isEmpty() && root.get(0).isObject() && root.get(0).get("body") != null && root.get(0).get("body").isObject()) {
                return root.get(0).get("body");
            }
            return null;
        } catch (JacksonException e) {
            return null;
        }
    }

    static String directive(JsonNode report) {
        String named = text(report, "effective-directive", "effectiveDirective");
        if (named.isEmpty()) {
            named = text(report, "violated-directive", "violatedDirective");
        }
        String first = named.strip().split(" ", 2)[0].toLowerCase(Locale.ROOT);
        return DIRECTIVES.contains(first) ? first : "other";
    }

    private static String text(JsonNode report, String name, String alternative) {
        JsonNode value = report.get(name) != null ? report.get(name) : report.get(alternative);
        return value != null && value.isString() ? value.asString() : "";
    }

    static String reduced(String url) {
        String kept = url.replaceAll("[^A-Za-z0-9/._:-]", "_");
        return kept.length() <= LOGGED_CHARS_MAX ? kept : kept.substring(0, LOGGED_CHARS_MAX) + "...";
    }

    private Counter counter(String directive) {
        return counters.computeIfAbsent(directive, d -> Counter.builder(METER).tag("directive", d)
                .description("Content-Security-Policy violation reports received").register(meters));
    }

    private synchronized boolean mayLog() {
        long minute = clock.millis() / 60_000;
        if (minute != windowMinute) {
            windowMinute = minute;
            loggedInWindow = 0;
        }
        return loggedInWindow++ < LOGGED_PER_MINUTE_MAX;
    }
}
