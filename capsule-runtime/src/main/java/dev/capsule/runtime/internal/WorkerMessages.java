package dev.capsule.runtime.internal;

import static dev.capsule.runtime.internal.WorkerProtocol.optionalText;
import static dev.capsule.runtime.internal.WorkerProtocol.require;
import static dev.capsule.runtime.internal.WorkerProtocol.requireBoolean;
import static dev.capsule.runtime.internal.WorkerProtocol.requireLong;
import static dev.capsule.runtime.internal.WorkerProtocol.requireText;

import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.ViolationKind;
import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.internal.WorkerProtocol.ProtocolViolation;
import java.io.StringWriter;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON shapes of the worker protocol's bodies. Encoding is for trusted callers; decoding of what a
 * worker sends checks every field's type and size and re-escapes text, because a compromised worker
 * can send anything (texts stay guest data, as in-process: see {@link #name}).
 */
final class WorkerMessages {
    /** Longest name, route, hook, level or kind a worker may report. */
    static final int NAME_CHARS_MAX = 256;
    /** Longest log line, reason or audit detail a worker may report (the session's own cap plus its ellipsis). */
    static final int TEXT_CHARS_MAX = HostBridge.LOG_LINE_CHARS_MAX + 16;
    private static final Set<String> LOG_LEVELS = Set.of("log", "info", "warn", "error", "debug");

    private WorkerMessages() {}

    // ---- events ---------------------------------------------------------------------------------

    static ObjectNode event(RuntimeEvent event) {
        ObjectNode o = Json.object();
        switch (event) {
            case RuntimeEvent.Launch e -> o.put("t", "launch").put("appId", e.appId()).put("version", e.version())
                    .put("verified", e.verified()).put("userId", e.userId());
            case RuntimeEvent.Lifecycle e -> o.put("t", "lifecycle").put("target", e.target()).put("hook", e.hook());
            case RuntimeEvent.Data e -> o.put("t", "data").put("route", e.route()).put("json", e.json());
            case RuntimeEvent.Api e -> o.put("t", "api").put("name", e.name()).put("ok", e.ok()).put("reason", e.reason());
            case RuntimeEvent.Ui e -> o.put("t", "ui").put("kind", e.kind()).put("json", e.json());
            case RuntimeEvent.Log e -> o.put("t", "log").put("level", e.level()).put("text", e.text());
            case RuntimeEvent.Violation e -> o.put("t", "violation").put("kind", e.kind().wireName()).put("message", e.message())
                    .put("sessionEnded", e.sessionEnded());
            case RuntimeEvent.Exit e -> o.put("t", "exit").put("code", e.code()).put("reason", e.reason());
            case RuntimeEvent.View e -> throw new IllegalArgumentException("view batches travel in VIEW frames, checked by the host's tree");
        }
        return o;
    }

    /** A worker's event, checked: types, sizes, JSON-ness of json fields, escaped text. */
    static RuntimeEvent event(JsonNode o) throws ProtocolViolation {
        String type = requireText(o, "t", NAME_CHARS_MAX);
        return switch (type) {
            case "launch" -> new RuntimeEvent.Launch(requireText(o, "appId", NAME_CHARS_MAX), requireText(o, "version", NAME_CHARS_MAX),
                    requireBoolean(o, "verified"), requireText(o, "userId", NAME_CHARS_MAX));
            case "lifecycle" -> new RuntimeEvent.Lifecycle(name(o, "target"), name(o, "hook"));
            case "data" -> new RuntimeEvent.Data(name(o, "route"), json(o, "json"));
            case "api" -> new RuntimeEvent.Api(name(o, "name"), requireBoolean(o, "ok"), text(o, "reason", false));
            case "ui" -> new RuntimeEvent.Ui(name(o, "kind"), json(o, "json"));
            case "log" -> {
                String level = name(o, "level");
                if (!LOG_LEVELS.contains(level)) {
                    throw new ProtocolViolation("unknown log level");
                }
                yield new RuntimeEvent.Log(level, text(o, "text", true));
            }
            case "violation" -> new RuntimeEvent.Violation(ViolationKind.ofWireName(name(o, "kind"))
                    .orElseThrow(() -> new ProtocolViolation("unknown violation kind")), text(o, "message", true), requireBoolean(o, "sessionEnded"));
            case "exit" -> {
                long code = requireLong(o, "code");
                if (code != 0 && code != 1) {
                    throw new ProtocolViolation("exit code must be 0 or 1");
                }
                yield new RuntimeEvent.Exit((int) code, text(o, "reason", true));
            }
            default -> throw new ProtocolViolation("unknown event type");
        };
    }

    /**
     * Names and texts pass as sent, within their length limits: they are guest data in both tiers (a
     * console line is whatever the mini-program logged), and every consumer of events escapes them
     * when it prints them, as the CLI does. Escaping here would make the tiers' event streams differ.
     */
    private static String name(JsonNode o, String field) throws ProtocolViolation {
        return requireText(o, field, NAME_CHARS_MAX);
    }

    private static String text(JsonNode o, String field, boolean required) throws ProtocolViolation {
        return required ? requireText(o, field, TEXT_CHARS_MAX) : optionalText(o, field, TEXT_CHARS_MAX);
    }

    /**
     * A field that must hold one JSON value (page data), re-serialized token by token: the host emits
     * canonical compact JSON it wrote itself from the parsed tokens, never the worker's text, so no
     * whitespace, line break or second document of the worker's survives. Bounded by the frame's
     * limits; no tree is built (a tree of hostile JSON costs many times its size). Numbers keep their
     * digits as parsed (a JSON number token has no room for anything else).
     */
    private static String json(JsonNode o, String field) throws ProtocolViolation {
        String text = requireText(o, field, WorkerProtocol.WORKER_FRAME_BYTES_MAX);
        StringWriter out = new StringWriter(Math.min(text.length(), 64 * 1024));
        try (JsonParser p = WorkerProtocol.MAPPER.createParser(text); JsonGenerator g = WorkerProtocol.MAPPER.createGenerator(out)) {
            if (p.nextToken() == null) {
                throw new ProtocolViolation("field '" + field + "' is empty");
            }
            copyValue(p, g);
            if (p.nextToken() != null) {
                throw new ProtocolViolation("field '" + field + "' has data after its JSON value");
            }
        } catch (JacksonException e) {
            throw new ProtocolViolation("field '" + field + "' is not JSON within the protocol's limits");
        }
        return out.toString();
    }

    /** Copies the value at the parser's current token, iteratively (nesting is bounded by the parser, not the stack). */
    private static void copyValue(JsonParser p, JsonGenerator g) {
        int depth = 0;
        do {
            JsonToken t = p.currentToken();
            switch (t) {
                case START_OBJECT -> { g.writeStartObject(); depth++; }
                case START_ARRAY -> { g.writeStartArray(); depth++; }
                case END_OBJECT -> { g.writeEndObject(); depth--; }
                case END_ARRAY -> { g.writeEndArray(); depth--; }
                case PROPERTY_NAME -> g.writeName(p.currentName());
                case VALUE_STRING -> g.writeString(p.getString());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> g.writeNumber(p.getString());
                case VALUE_TRUE -> g.writeBoolean(true);
                case VALUE_FALSE -> g.writeBoolean(false);
                case VALUE_NULL -> g.writeNull();
                default -> throw new IllegalStateException("unexpected JSON token " + t);
            }
        } while (depth > 0 && p.nextToken() != null);
    }

    // ---- outcomes -------------------------------------------------------------------------------

    /** Ok or Fail (a Later travels as its own id, then a COMPLETE frame). */
    static ObjectNode outcome(ApiOutcome outcome) {
        return switch (outcome) {
            case ApiOutcome.Ok ok -> {
                ObjectNode o = Json.object().put("ok", true);
                o.set("value", ok.value());
                yield o;
            }
            case ApiOutcome.Fail fail -> Json.object().put("ok", false).put("reason", fail.reason()).put("denied", fail.denied());
            case ApiOutcome.Later later -> throw new IllegalArgumentException("a later outcome has no body");
        };
    }

    /** Decodes the host's outcome (trusted, but still checked: the worker fails the call rather than crash). */
    static ApiOutcome outcome(JsonNode o) {
        JsonNode ok = o.get("ok");
        if (ok != null && ok.isBoolean() && ok.booleanValue() && o.has("value")) {
            return new ApiOutcome.Ok(o.get("value"));
        }
        String reason = Json.text(o, "reason");
        JsonNode denied = o.get("denied");
        return new ApiOutcome.Fail(reason == null ? "internal error" : reason, denied != null && denied.asBoolean(false));
    }

    // ---- launch ---------------------------------------------------------------------------------

    static ObjectNode launch(String userId, boolean verified, dev.capsule.runtime.LaunchOptions launchOptions, RuntimeLimits limits,
            Capabilities capabilities) {
        ObjectNode o = Json.object().put("userId", userId).put("verified", verified);
        ObjectNode at = o.putObject("launchOptions").put("path", launchOptions.path()).put("scene", launchOptions.scene());
        ObjectNode query = at.putObject("query");
        launchOptions.query().forEach(query::put);
        o.putObject("limits")
                .put("statementsPerEventMax", limits.statementsPerEventMax())
                .put("eventWallMillisMax", limits.eventWallMillisMax())
                .put("eventAllocatedBytesMax", limits.eventAllocatedBytesMax())
                .put("timersPendingMax", limits.timersPendingMax())
                .put("consoleBytesPerEventMax", limits.consoleBytesPerEventMax())
                .put("setDataBytesMax", limits.setDataBytesMax())
                .put("pageStackDepthMax", limits.pageStackDepthMax())
                .put("requestsInFlightMax", limits.requestsInFlightMax())
                .put("requestsPerMinuteMax", limits.requestsPerMinuteMax())
                .put("tasksQueuedMax", limits.tasksQueuedMax())
                .put("sessionOutputBytesMax", limits.sessionOutputBytesMax());
        ObjectNode c = o.putObject("capabilities");
        var services = c.putArray("services");
        capabilities.services().stream().sorted().forEach(a -> services.add(a.name()));
        var groups = c.putArray("groups");
        capabilities.groups().stream().sorted().forEach(g -> groups.add(g.code()));
        return o;
    }

    /** The launch options of a LAUNCH header, checked again by {@link dev.capsule.runtime.LaunchOptions}'s constructor. */
    static dev.capsule.runtime.LaunchOptions launchOptions(JsonNode o) throws ProtocolViolation {
        JsonNode at = require(o, "launchOptions");
        JsonNode q = require(at, "query");
        if (!q.isObject() || q.size() > dev.capsule.runtime.LaunchOptions.QUERY_ENTRIES_MAX) {
            throw new ProtocolViolation("field 'query' must be an object of at most " + dev.capsule.runtime.LaunchOptions.QUERY_ENTRIES_MAX + " entries");
        }
        var query = new java.util.TreeMap<String, String>();
        for (var e : q.properties()) {
            if (!e.getValue().isString()) {
                throw new ProtocolViolation("launch query values must be strings");
            }
            query.put(e.getKey(), e.getValue().stringValue());
        }
        try {
            return new dev.capsule.runtime.LaunchOptions(optionalText(at, "path", dev.capsule.runtime.LaunchOptions.PATH_CHARS_MAX), query,
                    (int) requireLong(at, "scene"));
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("bad launch options: " + e.getMessage());
        }
    }

    static RuntimeLimits limits(JsonNode o) throws ProtocolViolation {
        JsonNode l = require(o, "limits");
        try {
            return new RuntimeLimits(requireLong(l, "statementsPerEventMax"), requireLong(l, "eventWallMillisMax"),
                    requireLong(l, "eventAllocatedBytesMax"), (int) requireLong(l, "timersPendingMax"),
                    (int) requireLong(l, "consoleBytesPerEventMax"), (int) requireLong(l, "setDataBytesMax"),
                    (int) requireLong(l, "pageStackDepthMax"), (int) requireLong(l, "requestsInFlightMax"),
                    (int) requireLong(l, "requestsPerMinuteMax"), (int) requireLong(l, "tasksQueuedMax"),
                    requireLong(l, "sessionOutputBytesMax"));
        } catch (IllegalArgumentException e) {
            throw new ProtocolViolation("limits out of range");
        }
    }

    static Capabilities capabilities(JsonNode o) throws ProtocolViolation {
        JsonNode c = require(o, "capabilities");
        JsonNode groups = require(c, "groups");
        if (!groups.isArray() || groups.size() > ApiGroup.values().length) {
            throw new ProtocolViolation("capabilities.groups must be an array of API group codes");
        }
        var allowed = java.util.EnumSet.noneOf(ApiGroup.class);
        for (JsonNode g : groups) {
            allowed.add(ApiGroup.ofCode(g.isString() ? g.stringValue() : "")
                    .orElseThrow(() -> new ProtocolViolation("capabilities.groups names an unknown API group")));
        }
        JsonNode services = require(c, "services");
        if (!services.isArray() || services.size() >= WxApi.Availability.values().length) {
            throw new ProtocolViolation("capabilities.services must be an array of host service names");
        }
        var present = java.util.EnumSet.noneOf(WxApi.Availability.class);
        for (JsonNode s : services) {
            WxApi.Availability a = serviceNamed(s.isString() ? s.stringValue() : "");
            if (a == null || a == WxApi.Availability.ALWAYS) {
                throw new ProtocolViolation("capabilities.services names an unknown host service");
            }
            present.add(a);
        }
        return new Capabilities(present, allowed);
    }

    private static WxApi.Availability serviceNamed(String name) {
        for (WxApi.Availability a : WxApi.Availability.values()) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }
}
