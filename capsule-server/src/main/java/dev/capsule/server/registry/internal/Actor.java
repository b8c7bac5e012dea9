package dev.capsule.server.registry.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.RegistryEvent;
import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is acting in the registry: an operator (with a stable id, so the audit log can name them) or an API
 * key (with the organisation it is bound to, if any). Built from the access module's {@link Caller}.
 *
 * @param actorId  the access module's actor id, recorded in the registry's tables
 * @param operator the operator, or null for an API key
 * @param apiKey   the API key's id, or null for an operator
 * @param bound    the organisation an API key acts for; empty for operators and unbound keys
 */
record Actor(String actorId, OperatorId operator, String apiKey, Optional<OrganisationId> bound) {
    Actor {
        Objects.requireNonNull(actorId, "actorId");
        Objects.requireNonNull(bound, "bound");
    }

    static Actor current() {
        return of(Caller.current());
    }

    static Actor of(Caller caller) {
        return switch (caller) {
            case Caller.Operator operator -> new Actor(operator.actorId(), operator.operatorId().orElseThrow(() ->
                    new ProblemException(ProblemType.FORBIDDEN,
                            "only an operator signed in with a stable id may act in the registry (it could not be audited)")),
                    null, Optional.empty());
            case Caller.Machine machine -> new Actor(machine.actorId(), null, machine.keyId(),
                    machine.organisation().map(binding -> new OrganisationId(binding.value())));
        };
    }

    /** The current caller, who must be an operator (reviewing, approving and registering are for people). */
    static Actor currentOperator() {
        Actor actor = current();
        if (actor.operator == null) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this registry action is for operators, not API keys");
        }
        return actor;
    }

    RegistryEvent event(RegistryEvent.Activity activity, OrganisationId organisation, MiniProgramId app, String detail) {
        return new RegistryEvent(activity, true, operator, apiKey, organisation, app, detail, null);
    }

    RegistryEvent refused(RegistryEvent.Activity activity, OrganisationId organisation, MiniProgramId app, String detail,
            ProblemException problem) {
        return new RegistryEvent(activity, false, operator, apiKey, organisation, app, detail, problem.type().slug());
    }
}
