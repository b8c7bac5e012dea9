package dev.capsule.server.registry.internal;

import dev.capsule.core.text.SafeText;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.OrganisationSuspensions;
import dev.capsule.server.registry.RegistryEvent;
import dev.capsule.server.registry.RegistryProblems;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The registry's {@link OrganisationSuspensions} over {@code registry_organisation_suspension} (V109). Each step is one
 * transaction with its {@link RegistryEvent}; a refused step publishes its refusal after the rollback, in a transaction
 * of its own, so it is audited too.
 */
@Service
class Suspensions implements OrganisationSuspensions {
    private final JdbcClient jdbc;
    private final OrganisationStore store;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transactions;

    Suspensions(JdbcClient jdbc, OrganisationStore store, ApplicationEventPublisher events, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.store = store;
        this.events = events;
        this.transactions = transactions;
    }

    @Override
    public Suspension suspend(OrganisationId organisation, String reason) {
        Actor actor = Actor.currentOperator();
        return audited(actor, RegistryEvent.Activity.ORGANISATION_SUSPEND, organisation, () -> {
            if (reason == null || reason.isBlank() || reason.length() > REASON_CHARS_MAX || reason.codePoints().anyMatch(SafeText::isUnsafe)) {
                throw Organisations.invalid("reason", "must be one line of 1 to " + REASON_CHARS_MAX + " printable characters");
            }
            existing(organisation);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            int inserted = jdbc.sql("INSERT INTO registry_organisation_suspension (organisation_id, reason, suspended_by, suspended_at) "
                            + "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")
                    .params(organisation.value(), reason.strip(), actor.actorId(), Timestamp.from(now)).update();
            if (inserted != 1) {
                throw new ProblemException(RegistryProblems.SUSPENSION_STATE, "organisation " + organisation + " is suspended already");
            }
            events.publishEvent(actor.event(RegistryEvent.Activity.ORGANISATION_SUSPEND, organisation, null, null));
            return new Suspension(organisation, reason.strip(), actor.actorId(), now);
        });
    }

    @Override
    public void lift(OrganisationId organisation) {
        Actor actor = Actor.currentOperator();
        audited(actor, RegistryEvent.Activity.ORGANISATION_LIFT_SUSPENSION, organisation, () -> {
            existing(organisation);
            if (jdbc.sql("DELETE FROM registry_organisation_suspension WHERE organisation_id = ?").param(organisation.value()).update() != 1) {
                throw new ProblemException(RegistryProblems.SUSPENSION_STATE, "organisation " + organisation + " is not suspended");
            }
            events.publishEvent(actor.event(RegistryEvent.Activity.ORGANISATION_LIFT_SUSPENSION, organisation, null, null));
            return null;
        });
    }

    @Override
    public Optional<Suspension> suspension(OrganisationId organisation) {
        return jdbc.sql("SELECT reason, suspended_by, suspended_at FROM registry_organisation_suspension WHERE organisation_id = ?")
                .param(organisation.value())
                .query((row, n) -> new Suspension(organisation, row.getString(1), row.getString(2), row.getTimestamp(3).toInstant()))
                .optional();
    }

    boolean isSuspended(OrganisationId organisation) {
        return jdbc.sql("SELECT count(*) FROM registry_organisation_suspension WHERE organisation_id = ?").param(organisation.value())
                .query(Long.class).single() > 0;
    }

    @Override
    public List<Standing> standings() {
        return jdbc.sql("SELECT o.organisation_id, o.legal_name, s.organisation_id IS NOT NULL FROM registry_organisation o "
                        + "LEFT JOIN registry_organisation_suspension s ON s.organisation_id = o.organisation_id "
                        + "ORDER BY o.created_at, o.organisation_id LIMIT ?")
                .param(OrganisationStore.ORGANISATIONS_LIST_MAX)
                .query((row, n) -> new Standing(new OrganisationId(row.getObject(1, UUID.class)), row.getString(2), row.getBoolean(3)))
                .list();
    }

    private void existing(OrganisationId organisation) {
        if (store.find(organisation).isEmpty()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "there is no organisation " + organisation);
        }
    }

    private <T> T audited(Actor actor, RegistryEvent.Activity activity, OrganisationId organisation, java.util.function.Supplier<T> step) {
        try {
            return transactions.execute(status -> step.get());
        } catch (ProblemException refused) {
            transactions.executeWithoutResult(status -> events.publishEvent(actor.refused(activity, organisation, null, null, refused)));
            throw refused;
        }
    }
}
