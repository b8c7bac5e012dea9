package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * The host's half of one session: its services, storage area, HTTP client and network quota, and
 * the policy APIs that use them. Every policy decision for the session is made here, in the host
 * process, whichever tier runs the session's JavaScript.
 *
 * <p>Security guarantees: only APIs in {@link Apis}' policy table run, and only when the host service
 * they need exists; arguments are plain JSON already parsed by the caller; every policy denial is
 * audited here, so a worker cannot suppress the audit of what the host refused it.
 */
final class HostSide implements ApiContext, HostApis {
    /** How the host half reaches the session's event stream and wall clock. */
    interface Callouts {
        <T> T hostCall(Supplier<T> call);

        void emit(RuntimeEvent event);

        /** Hands a task event to the session's framework (in-process: its loop; worker: a TASK_EVENT frame). */
        void taskEvent(long task, String event, String payloadJson);
    }

    private final CapsuleManifest manifest;
    private final String userId;
    private final RuntimeLimits limits;
    private final HostServices services;
    private final StorageArea storage;
    private final GuardedHttpClient http;
    private final NetworkQuota networkQuota;
    private final NetworkQuota downloadQuota;
    private final NetworkQuota uploadQuota;
    private final SessionSockets sockets = new SessionSockets();
    private final TempFiles tempFiles = new TempFiles();
    private final Capabilities capabilities;
    private final Callouts callouts;
    private final AuditRecorder audit;

    HostSide(CapsuleManifest manifest, String userId, RuntimeLimits limits, java.util.Set<dev.capsule.runtime.ApiGroup> groups,
            HostServices services, StorageArea storage, GuardedHttpClient http, AuditRecorder audit, Callouts callouts) {
        this.audit = audit;
        this.manifest = manifest;
        this.userId = userId;
        this.limits = limits;
        this.services = services;
        this.storage = storage;
        this.http = http;
        this.callouts = callouts;
        this.capabilities = Capabilities.of(services, groups);
        this.networkQuota = new NetworkQuota(limits.requestsInFlightMax(), limits.requestsPerMinuteMax());
        this.downloadQuota = new NetworkQuota(FileTransferApis.IN_FLIGHT_MAX, limits.requestsPerMinuteMax(), "downloads");
        this.uploadQuota = new NetworkQuota(FileTransferApis.IN_FLIGHT_MAX, limits.requestsPerMinuteMax(), "uploads");
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    @Override
    public ApiOutcome invoke(String name, boolean sync, JsonNode args) {
        HostApi api = Apis.host(name, sync, capabilities);
        if (api == null) {
            return ApiOutcome.fail("not available");
        }
        return audited(name, api.handle(this, args));
    }

    private ApiOutcome audited(String name, ApiOutcome outcome) {
        return switch (outcome) {
            case ApiOutcome.Fail fail -> {
                if (fail.denied()) {
                    audit("wx." + name, "denied", fail.reason());
                }
                yield fail;
            }
            case ApiOutcome.Later later -> new ApiOutcome.Later(later.future().thenApply(done -> audited(name, done)));
            case ApiOutcome.Ok ok -> ok;
        };
    }

    @Override
    public CapsuleManifest manifest() {
        return manifest;
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public RuntimeLimits limits() {
        return limits;
    }

    @Override
    public HostServices services() {
        return services;
    }

    @Override
    public StorageArea storage() {
        return storage;
    }

    @Override
    public GuardedHttpClient http() {
        return http;
    }

    @Override
    public NetworkQuota networkQuota() {
        return networkQuota;
    }

    @Override
    public NetworkQuota downloadQuota() {
        return downloadQuota;
    }

    @Override
    public NetworkQuota uploadQuota() {
        return uploadQuota;
    }

    @Override
    public SessionSockets sockets() {
        return sockets;
    }

    @Override
    public TempFiles tempFiles() {
        return tempFiles;
    }

    @Override
    public void taskEvent(long task, String event, tools.jackson.databind.node.ObjectNode payload) {
        callouts.taskEvent(task, event, Json.write(payload));
    }

    /** The session ended (either tier): its sockets are dropped and its temporary files forgotten. */
    @Override
    public void sessionEnded() {
        sockets.endAll();
        tempFiles.clear();
    }

    @Override
    public <T> T hostCall(Supplier<T> call) {
        return callouts.hostCall(call);
    }

    @Override
    public void emit(RuntimeEvent event) {
        callouts.emit(event);
    }

    /** Records an audit event through the session's one recorder, under its one cap ({@link AuditRecorder}). */
    @Override
    public void audit(String action, String outcome, String detail) {
        audit.record(action, outcome, detail);
    }
}
