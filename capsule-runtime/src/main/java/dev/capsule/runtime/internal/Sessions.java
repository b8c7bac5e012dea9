package dev.capsule.runtime.internal;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.ApiGroup;
import dev.capsule.runtime.EventSink;
import dev.capsule.runtime.HostServices;
import dev.capsule.runtime.MiniProgramSession;
import dev.capsule.runtime.RuntimeLimits;
import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.runtime.storage.StorageArea;
import java.util.Set;
import org.graalvm.polyglot.Engine;

/** The one way the public API creates sessions, keeping Session's constructor internal. */
public final class Sessions {
    private Sessions() {}

    public static MiniProgramSession start(CapsulePackage pkg, boolean verified, String userId, dev.capsule.runtime.LaunchOptions launch,
            RuntimeLimits limits, Set<ApiGroup> groups, HostServices services, StorageArea storage, GuardedHttpClient http, EventSink sink,
            Engine engine, Watchdog watchdog, Runnable engineFault) {
        AuditRecorder audit = new AuditRecorder(services.audit(), pkg.manifest().id(), userId);
        Session session = new Session(pkg, verified, userId, limits,
                s -> new HostSide(pkg.manifest(), userId, limits, groups, services, storage, http, audit, s), audit, sink, Session::localViews,
                engine, watchdog, engineFault);
        session.start(launch);
        return session;
    }
}
