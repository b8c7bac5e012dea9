package dev.capsule.runtime.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The worker protocol, version {@value #VERSION}: frames over the worker's stdin (host to worker) and stdout
 * (worker to host). A frame is a 4-byte big-endian length N (1 ≤ N ≤ the reader's limit), then N
 * bytes: one type byte and the body. Bodies are one JSON object (UTF-8), except LAUNCH, whose body is
 * a 4-byte JSON length, the JSON header and the package archive. The worker's first frame is HELLO
 * naming {@link #MAGIC} and {@link #VERSION}; anything else ends it. See docs/runtime.md.
 *
 * <p>Security guarantees: the host reads worker frames with {@link #WORKER_FRAME_BYTES_MAX} as a hard
 * limit and never allocates more than a frame's declared length after checking it; a truncated,
 * oversized, unknown or malformed frame is a {@link ProtocolViolation}, which ends that worker only.
 */
final class WorkerProtocol {
    static final String MAGIC = "capsule-worker";
    /** 2: event boundaries (EVENT_BEGAN, EVENT_ENDED) and the prompt time in each REPLY. */
    static final int VERSION = 7; // 7: NAVIGATE, the depth in VIEW shown; 3: LAUNCH names the session's API groups (capabilities.groups); 4: TASK_EVENT; 5: LAUNCH names its host services (capabilities.services), NOTIFY; 6: VIEW, VIEW_EVENT

    // Worker to host.
    static final byte HELLO = 1;
    static final byte EVENT = 2;
    static final byte CALL = 3;
    static final byte AUDIT = 4;
    static final byte IDLE = 5;
    static final byte ROUTE = 6;
    /** An event (guest code under the per-event limits) began: the host's clock of it starts. Body {@code {}}. */
    static final byte EVENT_BEGAN = 7;
    /** The event ended. Body {@code {}}. */
    static final byte EVENT_ENDED = 8;
    /**
     * A page's view (version 6): {@code {"kind": "batch", "page": id, "route": r, "batch": {version, ops}}},
     * {@code {"kind": "shown", "page": id, "depth": n}} (the page is on top of a stack of n pages; version 7) or {@code {"kind": "closed", "page": id}}.
     * The host applies each batch to its own tree of that page first; a batch the tree refuses ends the worker.
     */
    static final byte VIEW = 9;

    // Host to worker.
    static final byte LAUNCH = 20;
    static final byte DISPATCH = 21;
    static final byte REPLY = 22;
    static final byte COMPLETE = 23;
    static final byte AWAIT_IDLE = 24;
    static final byte ROUTE_QUERY = 25;
    static final byte CLOSE = 26;
    /**
     * An event for a task object the guest holds (a SocketTask's open, message, error or close):
     * {@code {"task": id, "event": name, "payload": json text}}. Version 4.
     */
    static final byte TASK_EVENT = 27;

    /** Calls a framework channel's listeners (the device's network changed). Body {@code {channel, payload}} (payload: JSON text). */
    static final byte NOTIFY = 28;

    /**
     * The host's own navigation (version 7): {@code {"kind": "back"}} (the navigation bar's back arrow) or
     * {@code {"kind": "tab", "index": i}} (a tab bar item the host checked against app.json's tabBar list).
     */
    static final byte NAVIGATE = 30;

    /** A user interaction with the current page's view (version 6): {@code {"target": node id, "type": name, "detail": object}}. */
    static final byte VIEW_EVENT = 29;

    /**
     * Largest frame a worker may send (a wx call's arguments, a page's data): larger is a protocol
     * violation that ends the worker. The session's own limits (setData change 1 MiB, storage value,
     * request body) are below it; a page whose whole data is larger cannot run in a worker.
     */
    static final int WORKER_FRAME_BYTES_MAX = 8 * 1024 * 1024;
    /**
     * JSON tokens one frame may hold. Bounds what parsing a frame costs the host: a tree of this many
     * nodes is tens of megabytes, where 8 MiB of {@code [{},{},…]} unbounded would be about a gigabyte.
     * A 1 MiB storage value or request body of small numbers needs about 500,000.
     */
    static final long FRAME_TOKENS_MAX = 600_000;
    /** Nesting a frame may have: the data the session accepts ({@link HostBridge#DATA_DEPTH_MAX}) plus the envelope's. */
    static final int FRAME_NESTING_DEPTH_MAX = HostBridge.DATA_DEPTH_MAX + 8;
    /** Largest frame the host sends (package archive, a response body as JSON text); the host is trusted, the bound is a sanity check. */
    static final int HOST_FRAME_BYTES_MAX = 128 * 1024 * 1024;

    /** A frame that breaks the protocol: the peer that sent it is ended. */
    static final class ProtocolViolation extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }

    record Frame(byte type, byte[] body) {}

    /** The protocol's JSON: strict (duplicate keys refused), with the frame limits above, both directions. */
    static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(FRAME_NESTING_DEPTH_MAX)
                            .maxStringLength(HOST_FRAME_BYTES_MAX)
                            .maxNumberLength(64)
                            .maxTokenCount(FRAME_TOKENS_MAX)
                            .maxDocumentLength(HOST_FRAME_BYTES_MAX)
                            .build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private WorkerProtocol() {}

    /** Writes one frame and flushes; callers serialise writers. */
    static void write(OutputStream out, byte type, byte[] body) throws IOException {
        int length = body.length + 1;
        out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length, type});
        out.write(body);
        out.flush();
    }

    static void write(OutputStream out, byte type, JsonNode body) throws IOException {
        write(out, type, MAPPER.writeValueAsBytes(body));
    }

    /** The next frame, or null at a clean end of stream (between frames). */
    static Frame read(InputStream in, int bytesMax) throws IOException, ProtocolViolation {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        byte[] rest = in.readNBytes(3);
        if (rest.length < 3) {
            throw new ProtocolViolation("truncated frame header");
        }
        long length = ((long) first << 24) | ((rest[0] & 0xffL) << 16) | ((rest[1] & 0xffL) << 8) | (rest[2] & 0xffL);
        if (length < 1 || length > bytesMax) {
            throw new ProtocolViolation("frame of " + length + " bytes; frames are 1 to " + bytesMax + " bytes");
        }
        int type = in.read();
        if (type < 0) {
            throw new ProtocolViolation("truncated frame");
        }
        byte[] body = in.readNBytes((int) length - 1);
        if (body.length < length - 1) {
            throw new ProtocolViolation("truncated frame: " + body.length + " of " + (length - 1) + " body bytes");
        }
        return new Frame((byte) type, body);
    }

    /** The body as a JSON object, or a violation. */
    static ObjectNode object(Frame frame) throws ProtocolViolation {
        return object(frame.body(), 0, frame.body().length);
    }

    static ObjectNode object(byte[] bytes, int offset, int length) throws ProtocolViolation {
        try {
            JsonNode node = MAPPER.readTree(bytes, offset, length);
            if (node instanceof ObjectNode o) {
                return o;
            }
        } catch (JacksonException e) {
            // Reported below without the parser's text: the body is the peer's, not ours to echo.
        }
        throw new ProtocolViolation("frame body is not a JSON object");
    }

    static String requireText(JsonNode body, String field, int charsMax) throws ProtocolViolation {
        JsonNode v = body.get(field);
        if (v == null || !v.isString() || v.stringValue().length() > charsMax) {
            throw new ProtocolViolation("field '" + field + "' must be a string of at most " + charsMax + " characters");
        }
        return v.stringValue();
    }

    static String optionalText(JsonNode body, String field, int charsMax) throws ProtocolViolation {
        JsonNode v = body.get(field);
        return v == null || v.isNull() ? null : requireText(body, field, charsMax);
    }

    static long requireLong(JsonNode body, String field) throws ProtocolViolation {
        JsonNode v = body.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new ProtocolViolation("field '" + field + "' must be an integer");
        }
        return v.longValue();
    }

    static boolean requireBoolean(JsonNode body, String field) throws ProtocolViolation {
        JsonNode v = body.get(field);
        if (v == null || !v.isBoolean()) {
            throw new ProtocolViolation("field '" + field + "' must be a boolean");
        }
        return v.booleanValue();
    }

    static JsonNode require(JsonNode body, String field) throws ProtocolViolation {
        JsonNode v = body.get(field);
        if (v == null) {
            throw new ProtocolViolation("field '" + field + "' is missing");
        }
        return v;
    }

    static EOFException closed() {
        return new EOFException("the worker's stream ended");
    }
}
