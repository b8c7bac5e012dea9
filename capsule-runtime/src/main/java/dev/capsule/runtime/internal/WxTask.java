package dev.capsule.runtime.internal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The task object an asynchronous API returns (WeChat's {@code SocketTask}): its methods, each a
 * policy call {@code <api>.<method>} with the task's id, and its events, each {@code onX(listener)}
 * on the task, delivered by the host ({@link ApiContext#taskEvent}).
 *
 * @param bufferField the field of a method's options and of an event that may be an {@code ArrayBuffer}
 *     (bytes over the bridge, marked {@code binary: true}); null if none
 */
record WxTask(String type, java.util.SequencedMap<String, HostApi> methods, List<String> events, String bufferField) {
    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z]{0,31}");

    WxTask {
        Objects.requireNonNull(type, "type");
        methods = java.util.Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>(methods));
        events = List.copyOf(events);
        for (String n : methods.keySet()) {
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("bad task method " + n);
            }
        }
        for (String n : events) {
            if (!NAME.matcher(n).matches()) {
                throw new IllegalArgumentException("bad task event " + n);
            }
        }
    }
}
