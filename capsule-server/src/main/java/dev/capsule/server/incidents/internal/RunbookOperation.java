package dev.capsule.server.incidents.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import java.util.Objects;

/**
 * The runbook's one-click operations, each done by the module that owns it through its public API (docs/incidents.md).
 * {@link #permission()} is what the endpoint that takes it declares, with step-up: the owning module's own permission
 * where it has one, so an incident is never a way around it.
 */
sealed interface RunbookOperation {
    Permission permission();

    /** The kill switch: revoke a released version everywhere (releases). */
    record KillSwitch(MiniProgramId app, String version, String reason) implements RunbookOperation {
        public KillSwitch {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Permission permission() {
            return Permission.RELEASES_KILLSWITCH;
        }
    }

    /** End every operator session but the acting one (identity). */
    record SignOutOperators() implements RunbookOperation {
        @Override
        public Permission permission() {
            return Permission.INCIDENTS_MANAGE;
        }
    }

    /** Rotate a purpose's platform keys (keys). */
    record RotateKeys(String purpose) implements RunbookOperation {
        public RotateKeys {
            Objects.requireNonNull(purpose, "purpose");
        }

        @Override
        public Permission permission() {
            return Permission.KEYS_MANAGE;
        }
    }

    /** Suspend a developer organisation (registry). */
    record Suspend(OrganisationId organisation, String reason) implements RunbookOperation {
        public Suspend {
            Objects.requireNonNull(organisation, "organisation");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public Permission permission() {
            return Permission.INCIDENTS_MANAGE;
        }
    }

    /** Lift a developer organisation's suspension (registry). */
    record LiftSuspension(OrganisationId organisation) implements RunbookOperation {
        public LiftSuspension {
            Objects.requireNonNull(organisation, "organisation");
        }

        @Override
        public Permission permission() {
            return Permission.INCIDENTS_MANAGE;
        }
    }
}
