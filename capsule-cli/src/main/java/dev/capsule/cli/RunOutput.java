package dev.capsule.cli;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.RuntimeEvent;
import java.io.PrintWriter;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.util.RawValue;

/**
 * Prints a session's events: one JSON object per line with --json (spec §5), else one readable line each.
 *
 * <p>Security guarantees: a guest cannot forge or hide an output line. In text mode every string of
 * an event is escaped by {@link SafeText} (control characters including ESC and DEL, C1, line and
 * paragraph separators, bidi controls), so a guest's log text can neither start a new line that
 * looks like {@code exit 0} or {@code VIOLATION} nor send terminal escape sequences. In JSON mode
 * {@link SafeJson} escapes the same characters. Exactly one {@code exit} line is printed, last:
 * events after it are dropped, and {@link #exitIfNone} supplies it when the run ends before a
 * session could (a rejected package, a usage or internal error).
 */
final class RunOutput implements EventSink {
    /**
     * Text mode does not cut guest text: the runtime already bounds each event (console output 64 KB
     * per event, a setData change 1 MB), and a cut would hide what the guest did.
     */
    private static final int TEXT_CHARS_MAX = Integer.MAX_VALUE;

    private final PrintWriter out;
    private final boolean json;
    private final boolean views;
    private boolean exited; // guarded by this

    /**
     * @param views whether view batches are printed ({@code capsule render --ops}); without, they are left out: the
     *     {@code data} lines already show what changed, and a page's batches are its whole markup
     */
    RunOutput(PrintWriter out, boolean json, boolean views) {
        this.out = out;
        this.json = json;
        this.views = views;
    }

    /** For the runner's own notes (for example "running unsigned, --dev"), in the same stream. */
    void note(String level, String text) {
        accept(new RuntimeEvent.Log(level, text));
    }

    /** In JSON mode, ends the output with an exit line unless the session already printed one. */
    synchronized void exitIfNone(int code, String reason) {
        if (json && !exited) {
            accept(new RuntimeEvent.Exit(code, reason));
        }
    }

    /**
     * A line of the runner's own that is not a session event (the --all-pages report): {@code json} with
     * --json, else {@code text}, whose guest-influenced parts the caller escaped with {@link #escaped}.
     * Nothing after the exit line, as for events.
     */
    synchronized void line(ObjectNode json, String text) {
        if (exited) {
            return;
        }
        out.println(this.json ? SafeJson.line(json) : text);
        out.flush();
    }

    /** Text as every event string is printed in text mode. */
    static String escaped(String text) {
        return s(text);
    }

    @Override
    public synchronized void accept(RuntimeEvent event) {
        if (exited || (event instanceof RuntimeEvent.View && !views)) {
            return; // exit is the last line, whatever arrives after it
        }
        exited = event instanceof RuntimeEvent.Exit;
        out.println(json ? SafeJson.line(toJson(event)) : toText(event));
        out.flush();
    }

    /** Data and ui payloads are JSON text made by the runtime's snapshot; they are embedded as is (made line-safe), never re-parsed. */
    static ObjectNode toJson(RuntimeEvent event) {
        ObjectNode o = StrictJson.mapper().createObjectNode();
        switch (event) {
            case RuntimeEvent.Launch e -> o.put("type", "launch").put("appId", e.appId()).put("version", e.version())
                    .put("verified", e.verified()).put("user", e.userId());
            case RuntimeEvent.Lifecycle e -> o.put("type", "lifecycle").put("target", e.target()).put("hook", e.hook());
            case RuntimeEvent.Data e -> {
                o.put("type", "data").put("route", e.route());
                o.putRawValue("data", new RawValue(SafeJson.raw(e.json())));
            }
            case RuntimeEvent.Api e -> {
                o.put("type", "api").put("name", e.name()).put("outcome", e.ok() ? "ok" : "fail");
                if (e.reason() != null) {
                    o.put("reason", e.reason());
                }
            }
            case RuntimeEvent.Ui e -> {
                o.put("type", "ui").put("kind", e.kind());
                o.putRawValue("args", new RawValue(SafeJson.raw(e.json())));
            }
            case RuntimeEvent.Log e -> o.put("type", "log").put("level", e.level()).put("text", e.text());
            case RuntimeEvent.Violation e -> o.put("type", "violation").put("kind", e.kind().wireName()).put("message", e.message())
                    .put("sessionEnded", e.sessionEnded());
            case RuntimeEvent.Exit e -> o.put("type", "exit").put("code", e.code()).put("reason", e.reason());
            case RuntimeEvent.View e -> o = ViewBatchJson.toJson(e.route(), e.batch());
        }
        return o;
    }

    /** Every string is escaped: which ones a guest influences is not this class's business to guess. */
    static String toText(RuntimeEvent event) {
        return switch (event) {
            case RuntimeEvent.Launch e -> "launch    " + s(e.appId()) + " " + s(e.version()) + (e.verified() ? " (verified)" : " (UNVERIFIED: --dev)")
                    + " user " + s(e.userId());
            case RuntimeEvent.Lifecycle e -> "lifecycle " + s(e.target()) + "." + s(e.hook());
            case RuntimeEvent.Data e -> "data      " + s(e.route()) + " " + s(e.json());
            case RuntimeEvent.Api e -> "api       wx." + s(e.name()) + " " + (e.ok() ? "ok" : "fail: " + s(e.reason()));
            case RuntimeEvent.Ui e -> "ui        " + s(e.kind()) + " " + s(e.json());
            case RuntimeEvent.Log e -> "log       [" + s(e.level()) + "] " + s(e.text());
            case RuntimeEvent.Violation e -> "VIOLATION " + e.kind().wireName() + ": " + s(e.message()) + (e.sessionEnded() ? " (session ended)" : "");
            case RuntimeEvent.Exit e -> "exit      " + e.code() + " (" + s(e.reason()) + ")";
            case RuntimeEvent.View e -> "view      " + s(e.route()) + " " + SafeJson.line(ViewBatchJson.toJson(e.route(), e.batch()));
        };
    }

    private static String s(String text) {
        return SafeText.escape(text, TEXT_CHARS_MAX);
    }
}
