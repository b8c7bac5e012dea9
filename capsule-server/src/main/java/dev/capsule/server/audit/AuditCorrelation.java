package dev.capsule.server.audit;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Ties audit entries to the incident they were written under: every entry any module's event produces while
 * {@link #underIncident} runs (in the same thread: every listener of the audit module runs in its publisher's thread)
 * carries the incident's id in its {@code incident} field. The incidents module runs each runbook operation (kill
 * switch, forced sign-out, key rotation, organisation suspension) through it, so the owning module's own entry — done
 * or refused — names the incident without that module knowing incidents exist.
 *
 * <p>Security guarantees: the id is bound for the call only (a {@link ScopedValue}: it cannot leak to a later request
 * on the same thread, nor to another thread); an entry written outside the call never carries it; nesting a second
 * incident inside the first is refused rather than mixing them.
 */
public final class AuditCorrelation {
    private static final ScopedValue<UUID> INCIDENT = ScopedValue.newInstance();

    private AuditCorrelation() {
    }

    /** Runs {@code action}, every audit entry it writes carrying {@code incident}. */
    public static <T> T underIncident(UUID incident, Supplier<T> action) {
        Objects.requireNonNull(incident, "incident");
        Objects.requireNonNull(action, "action");
        if (INCIDENT.isBound() && !INCIDENT.get().equals(incident)) {
            throw new IllegalStateException("an operation runs under one incident, not two");
        }
        return ScopedValue.where(INCIDENT, incident).call(action::get);
    }

    /** The incident the current call runs under, if any. */
    public static Optional<UUID> currentIncident() {
        return INCIDENT.isBound() ? Optional.of(INCIDENT.get()) : Optional.empty();
    }
}
