package dev.capsule.server.registry.internal;

import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/organisations}: operators register developer organisations, members, mini-program ids and keys (docs/registry.md). */
@RestController
class OrganisationController {
    static final String ORGANISATIONS = "/api/v1/organisations";

    private final Organisations organisations;

    OrganisationController(Organisations organisations) {
        this.organisations = organisations;
    }

    record RegisterRequest(@NotBlank @Size(max = Organisations.NAME_CHARS_MAX) String legalName,
                           @NotBlank @Size(max = Organisations.NAME_CHARS_MAX) String contact) {
    }

    record MemberRequest(@NotNull UUID operatorId) {
    }

    record MiniProgramRequest(@NotBlank @Size(max = 128) String appId) {
    }

    record KeyRequest(@NotBlank @Size(max = Organisations.PEM_CHARS_MAX) String publicKeyPem) {
    }

    record KeyView(String keyId, String publicKeyPem, String status, String addedBy, Instant addedAt, String revokedBy,
                   Instant revokedAt) {
        static KeyView of(DeveloperKey key) {
            return new KeyView(key.keyId(), key.key().toPem(), key.revoked() ? "revoked" : "active", key.addedBy(), key.addedAt(),
                    key.revokedBy(), key.revokedAt());
        }
    }

    record OrganisationView(String id, String legalName, String contact, boolean verified, String createdBy, Instant createdAt,
                            List<String> miniPrograms, List<String> members, List<KeyView> keys, boolean suspended,
                            Instant suspendedAt, String suspensionReason) {
        static OrganisationView of(Organisations organisations, Organisation o) {
            var suspension = organisations.suspension(o.id());
            return new OrganisationView(o.id().toString(), o.legalName(), o.contact(), o.verified(), o.createdBy(), o.createdAt(),
                    organisations.miniPrograms(o.id()).stream().map(MiniProgramId::value).toList(),
                    organisations.members(o.id()).stream().map(OperatorId::toString).toList(),
                    organisations.keys(o.id()).stream().map(KeyView::of).toList(), suspension.isPresent(),
                    suspension.map(dev.capsule.server.registry.OrganisationSuspensions.Suspension::suspendedAt).orElse(null),
                    suspension.map(dev.capsule.server.registry.OrganisationSuspensions.Suspension::reason).orElse(null));
        }
    }

    @PostMapping(path = ORGANISATIONS, consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    ResponseEntity<OrganisationView> register(@Valid @RequestBody RegisterRequest request) {
        Organisation organisation = organisations.register(Actor.currentOperator(), request.legalName(), request.contact());
        return ResponseEntity.created(URI.create(ORGANISATIONS + "/" + organisation.id())).body(view(organisation));
    }

    @GetMapping(ORGANISATIONS)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    List<OrganisationView> list() {
        return organisations.list().stream().map(this::view).toList();
    }

    @GetMapping(ORGANISATIONS + "/{id}")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    OrganisationView get(@PathVariable("id") String id) {
        return view(organisations.existing(id(id)));
    }

    @PostMapping(ORGANISATIONS + "/{id}/verify")
    @RequiresPermission(value = Permission.ORGANISATIONS_MANAGE, stepUp = true)
    OrganisationView verify(@PathVariable("id") String id) {
        return view(organisations.verify(Actor.currentOperator(), id(id)));
    }

    @PostMapping(path = ORGANISATIONS + "/{id}/members", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    OrganisationView addMember(@PathVariable("id") String id, @Valid @RequestBody MemberRequest request) {
        OrganisationId organisation = id(id);
        organisations.addMember(Actor.currentOperator(), organisation, member(request.operatorId()));
        return view(organisations.existing(organisation));
    }

    @PostMapping(path = ORGANISATIONS + "/{id}/mini-programs", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    OrganisationView addMiniProgram(@PathVariable("id") String id, @Valid @RequestBody MiniProgramRequest request) {
        OrganisationId organisation = id(id);
        organisations.addMiniProgram(Actor.currentOperator(), organisation, app(request.appId()));
        return view(organisations.existing(organisation));
    }

    @PostMapping(path = ORGANISATIONS + "/{id}/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.ORGANISATIONS_MANAGE, stepUp = true)
    ResponseEntity<KeyView> addKey(@PathVariable("id") String id, @Valid @RequestBody KeyRequest request) {
        OrganisationId organisation = id(id);
        DeveloperKey key = organisations.addKey(Actor.currentOperator(), organisation, request.publicKeyPem());
        return ResponseEntity.created(URI.create(ORGANISATIONS + "/" + organisation + "/keys/" + key.keyId()))
                .body(KeyView.of(key));
    }

    @PostMapping(ORGANISATIONS + "/{id}/keys/{keyId}/revoke")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    KeyView revokeKey(@PathVariable("id") String id, @PathVariable("keyId") String keyId) {
        return KeyView.of(organisations.revokeKey(Actor.currentOperator(), id(id), keyId(keyId)));
    }

    private OrganisationView view(Organisation o) {
        return OrganisationView.of(organisations, o);
    }

    /** A member's operator id (the API's body and the console's form read it the same way). */
    static OperatorId member(UUID operatorId) {
        if (operatorId == null) {
            throw Organisations.invalid("operatorId", "is not an operator id");
        }
        try {
            return OperatorId.of(operatorId);
        } catch (IllegalArgumentException e) {
            throw Organisations.invalid("operatorId", "is not an operator id");
        }
    }

    /** A mini-program id to register (the API's body and the console's form). */
    static MiniProgramId app(String appId) {
        return MiniProgramId.parse(appId).orElseThrow(() ->
                Organisations.invalid("appId", "must be an app id: reverse-DNS in lower case, like com.example.todo"));
    }

    /** A package-signing key's id from a path: 64 hex digits, else 404. */
    static String keyId(String keyId) {
        if (!keyId.matches("[0-9a-f]{64}")) {
            throw new ProblemException(ProblemType.NOT_FOUND, "there is no key with that id (key ids are 64 hex digits)");
        }
        return keyId;
    }

    static OrganisationId id(String text) {
        return OrganisationId.parse(text).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no organisation with that id (ids are UUIDs)"));
    }
}
