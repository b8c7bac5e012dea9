package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.KeyFormatException;
import dev.capsule.core.crypto.VerifyingKey;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.OrganisationBinding;
import dev.capsule.server.access.OrganisationDirectory;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.RegistryEvent;
import dev.capsule.server.registry.RegistryProblems;
import dev.capsule.server.registry.VerifiedOrganisations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Developer organisations, registered by operators ({@code organisations.manage}): legal name and contact,
 * verification, member operators, the mini-program ids each owns, and Ed25519 package-signing keys. Every
 * change publishes a {@link RegistryEvent} in its transaction (the audit log). Also the access module's
 * {@link OrganisationDirectory}, so an API key can only be bound to an organisation that exists.
 *
 * <p>Security guarantees: a mini-program id is registered to one organisation for good (primary key); a
 * key belongs to one organisation (primary key on its id: the same public key cannot be registered twice,
 * so it can never sign for two organisations); revocation is final and takes effect at the next upload or
 * approval (nothing is cached).
 */
@Service
class Organisations implements OrganisationDirectory, VerifiedOrganisations {
    static final int NAME_CHARS_MAX = 200;
    static final int PEM_CHARS_MAX = 1_000;

    private final OrganisationStore store;
    private final ApplicationEventPublisher events;
    private final Suspensions suspensions;
    private final Clock clock = Clock.systemUTC();

    Organisations(OrganisationStore store, ApplicationEventPublisher events, Suspensions suspensions) {
        this.store = store;
        this.suspensions = suspensions;
        this.events = events;
    }

    @Override
    public boolean isRegistered(OrganisationBinding organisation) {
        return store.find(new OrganisationId(organisation.value())).isPresent();
    }

    @Override
    public boolean isSuspended(OrganisationBinding organisation) {
        return suspensions.isSuspended(new OrganisationId(organisation.value()));
    }

    @Override
    public List<Listed> registered() {
        return store.list().stream().map(o -> new Listed(new OrganisationBinding(o.id().value()), o.legalName())).toList();
    }

    @Override
    public Optional<VerifiedOrganisation> verified(OrganisationId id) {
        return store.find(id).filter(Organisation::verified).map(this::verifiedView);
    }

    @Override
    public List<VerifiedOrganisation> allVerified() {
        return store.list().stream().filter(Organisation::verified).map(this::verifiedView).toList();
    }

    private VerifiedOrganisation verifiedView(Organisation organisation) {
        return new VerifiedOrganisation(organisation.id(), organisation.legalName(),
                new LinkedHashSet<>(store.miniPrograms(organisation.id())));
    }

    @Transactional
    Organisation register(Actor actor, String legalName, String contact) {
        Organisation organisation = new Organisation(OrganisationId.random(), text("legalName", legalName),
                text("contact", contact), false, actor.actorId(), now());
        store.insert(organisation);
        events.publishEvent(actor.event(RegistryEvent.Activity.ORGANISATION_REGISTER, organisation.id(), null, null));
        return organisation;
    }

    @Transactional
    Organisation verify(Actor actor, OrganisationId id) {
        existing(id);
        if (!store.verify(id, actor.actorId(), now())) {
            throw new ProblemException(RegistryProblems.ALREADY_REGISTERED, "organisation " + id + " is verified already");
        }
        events.publishEvent(actor.event(RegistryEvent.Activity.ORGANISATION_VERIFY, id, null, null));
        return existing(id);
    }

    @Transactional
    void addMember(Actor actor, OrganisationId id, OperatorId member) {
        existing(id);
        limit("registry_member", id);
        if (!store.addMember(id, member, actor.actorId(), now())) {
            throw new ProblemException(RegistryProblems.ALREADY_REGISTERED, "operator " + member + " is a member already");
        }
        events.publishEvent(actor.event(RegistryEvent.Activity.ORGANISATION_ADD_MEMBER, id, null, "member " + member));
    }

    @Transactional
    void addMiniProgram(Actor actor, OrganisationId id, MiniProgramId app) {
        existing(id);
        limit("registry_mini_program", id);
        if (!store.addMiniProgram(app, id, actor.actorId(), now())) {
            throw new ProblemException(RegistryProblems.ALREADY_REGISTERED, "mini-program id " + app
                    + " is registered already (each id belongs to one organisation, for good)");
        }
        events.publishEvent(actor.event(RegistryEvent.Activity.MINI_PROGRAM_REGISTER, id, app, null));
    }

    @Transactional
    DeveloperKey addKey(Actor actor, OrganisationId id, String publicKeyPem) {
        existing(id);
        limit("registry_signing_key", id);
        VerifyingKey key;
        try {
            if (publicKeyPem == null || publicKeyPem.length() > PEM_CHARS_MAX) {
                throw new KeyFormatException("a PEM public key of at most " + PEM_CHARS_MAX + " characters is needed");
            }
            key = VerifyingKey.fromPem(publicKeyPem);
        } catch (KeyFormatException e) {
            throw invalid("publicKeyPem", e.getMessage());
        }
        DeveloperKey developerKey = new DeveloperKey(key, id, actor.actorId(), now(), null, null);
        if (!store.addKey(developerKey)) {
            throw new ProblemException(RegistryProblems.ALREADY_REGISTERED, "key " + key.keyId().hex()
                    + " is registered already (a key belongs to one organisation; a revoked key cannot come back)");
        }
        events.publishEvent(actor.event(RegistryEvent.Activity.DEVELOPER_KEY_ADD, id, null, "key " + key.keyId().hex()));
        return developerKey;
    }

    @Transactional
    DeveloperKey revokeKey(Actor actor, OrganisationId id, String keyId) {
        existing(id);
        DeveloperKey key = store.key(keyId).filter(k -> k.organisation().equals(id)).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "organisation " + id + " has no key " + keyId));
        if (key.revoked() || !store.revokeKey(id, keyId, actor.actorId(), now())) {
            throw new ProblemException(RegistryProblems.DEVELOPER_KEY_REVOKED, "key " + keyId + " is revoked already");
        }
        events.publishEvent(actor.event(RegistryEvent.Activity.DEVELOPER_KEY_REVOKE, id, null, "key " + keyId));
        return store.key(keyId).orElseThrow();
    }

    Organisation existing(OrganisationId id) {
        return store.find(id).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "there is no organisation " + id));
    }

    List<Organisation> list() {
        return store.list();
    }

    Optional<dev.capsule.server.registry.OrganisationSuspensions.Suspension> suspension(OrganisationId id) {
        return suspensions.suspension(id);
    }

    List<DeveloperKey> keys(OrganisationId id) {
        return store.keys(id);
    }

    List<MiniProgramId> miniPrograms(OrganisationId id) {
        return store.miniPrograms(id);
    }

    List<OperatorId> members(OrganisationId id) {
        return store.members(id);
    }

    private void limit(String table, OrganisationId id) {
        if (store.countOf(table, id) >= OrganisationStore.PER_ORGANISATION_MAX) {
            throw invalid(table.substring("registry_".length()), "an organisation has at most "
                    + OrganisationStore.PER_ORGANISATION_MAX + " of these");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static String text(String field, String value) {
        if (value == null || value.isBlank() || value.length() > NAME_CHARS_MAX || value.codePoints().anyMatch(
                dev.capsule.core.text.SafeText::isUnsafe)) {
            throw invalid(field, "must be 1 to " + NAME_CHARS_MAX + " printable characters");
        }
        return value.strip();
    }

    static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", field, "message", message))));
    }
}
