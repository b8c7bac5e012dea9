package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.util.function.Supplier;

/**
 * What a policy API sees: the session's identity, its limits and the host's services and state. It
 * always lives in the host process (in-process tier: beside the engine; worker tier: in the host,
 * answering the worker's calls), so a compromised engine cannot reach the services directly.
 */
interface ApiContext {
    CapsuleManifest manifest();

    String userId();

    RuntimeLimits limits();

    HostServices services();

    StorageArea storage();

    GuardedHttpClient http();

    NetworkQuota networkQuota();

    /** wx.downloadFile's in-flight and per-minute limits. */
    NetworkQuota downloadQuota();

    /** wx.uploadFile's in-flight and per-minute limits. */
    NetworkQuota uploadQuota();

    /** The session's WebSocket connections. */
    SessionSockets sockets();

    /** The session's temporary files (downloads). */
    TempFiles tempFiles();

    /**
     * Delivers an event to a task object the guest holds ({@code SocketTask.onMessage} …), after the
     * current event, from any thread. Dropped if the session has ended.
     */
    void taskEvent(long task, String event, tools.jackson.databind.node.ObjectNode payload);

    /** Runs a host callout (a prompt the user answers) whose time is not charged to the guest's event. */
    <T> T hostCall(Supplier<T> call);

    void emit(RuntimeEvent event);

    void audit(String action, String outcome, String detail);
}
