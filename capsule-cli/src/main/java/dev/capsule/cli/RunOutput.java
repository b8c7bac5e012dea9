package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.RuntimeEvent;
import java.io.PrintWriter;
import tools.jackson.databind.util.RawValue;
import tools.jackson.databind.node.ObjectNode;

/** Prints a session's events: one JSON object per line with --json (spec §5), else one readable line each. */
final class RunOutput implements EventSink {
    private final PrintWriter out;
    private final boolean json;

    RunOutput(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    /** For the runner's own notes (for example "running unsigned, --dev"), in the same stream. */
    void note(String level, String text) {
        accept(new RuntimeEvent.Log(level, text));
    }

    @Override
    public synchronized void accept(RuntimeEvent event) {
        if (json) {
            out.println(StrictJson.mapper().writeValueAsString(toJson(event)));
        } else {
            out.println(toText(event));
        }
        out.flush();
    }

    /** Data and ui payloads are JSON text made by the runtime's snapshot; they are embedded as is, never re-parsed. */
    static ObjectNode toJson(RuntimeEvent event) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        switch (event) {
            case RuntimeEvent.Launch e -> o.put("type", "launch").put("appId", e.appId()).put("version", e.version())
                    .put("verified", e.verified()).put("user", e.userId());
            case RuntimeEvent.Lifecycle e -> o.put("type", "lifecycle").put("target", e.target()).put("hook", e.hook());
            case RuntimeEvent.Data e -> {
                o.put("type", "data").put("route", e.route());
                o.putRawValue("data", new RawValue(e.json()));
            }
            case RuntimeEvent.Api e -> {
                o.put("type", "api").put("name", e.name()).put("outcome", e.ok() ? "ok" : "fail");
                if (e.reason() != null) {
                    o.put("reason", e.reason());
                }
            }
            case RuntimeEvent.Ui e -> {
                o.put("type", "ui").put("kind", e.kind());
                o.putRawValue("args", new RawValue(e.json()));
            }
            case RuntimeEvent.Log e -> o.put("type", "log").put("level", e.level()).put("text", e.text());
            case RuntimeEvent.Violation e -> o.put("type", "violation").put("kind", e.kind().wireName()).put("message", e.message())
                    .put("sessionEnded", e.sessionEnded());
            case RuntimeEvent.Exit e -> o.put("type", "exit").put("code", e.code()).put("reason", e.reason());
        }
        return o;
    }

    private static String toText(RuntimeEvent event) {
        return switch (event) {
            case RuntimeEvent.Launch e -> "launch    " + e.appId() + " " + e.version() + (e.verified() ? " (verified)" : " (UNVERIFIED: --dev)")
                    + " user " + e.userId();
            case RuntimeEvent.Lifecycle e -> "lifecycle " + e.target() + "." + e.hook();
            case RuntimeEvent.Data e -> "data      " + e.route() + " " + e.json();
            case RuntimeEvent.Api e -> "api       wx." + e.name() + " " + (e.ok() ? "ok" : "fail: " + e.reason());
            case RuntimeEvent.Ui e -> "ui        " + e.kind() + " " + e.json();
            case RuntimeEvent.Log e -> "log       [" + e.level() + "] " + e.text();
            case RuntimeEvent.Violation e -> "VIOLATION " + e.kind().wireName() + ": " + e.message() + (e.sessionEnded() ? " (session ended)" : "");
            case RuntimeEvent.Exit e -> "exit      " + e.code() + " (" + e.reason() + ")";
        };
    }
}
