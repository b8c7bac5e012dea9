package dev.capsule.server.registry.internal;

import dev.capsule.server.access.OperatorDirectory;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.internal.OrganisationController.OrganisationView;
import java.util.Map;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's developer organisation pages: the organisations with the register form, and one organisation
 * with verification, members, mini-program ids and package-signing keys (add, revoke). Each handler declares the
 * permission and step-up of the matching {@code /api/v1/organisations} endpoint and calls the same
 * {@link Organisations} service (so the limits, the one-organisation-per-id and one-organisation-per-key rules and
 * the {@code RegistryEvent}s are the API's); a refusal is a console page with the API's status ({@link ConsolePage}).
 *
 * <p>Security guarantees: legal names, contacts, ids and PEM texts are printed escaped; no script; every form posts
 * with the session's CSRF token.
 */
@Controller
@ConsolePage
class OrganisationConsole {
    static final String ORGANISATIONS = "/console/organisations";

    /** The message of each outcome a form redirects with (anything else in {@code ?outcome=} shows nothing). */
    private static final Map<String, String> MESSAGES = Map.of(
            "registered", "Registered. Verify it once you have checked who they are.",
            "verified", "Verified: its name is shown as a verified developer.",
            "member", "Member added.",
            "mini-program", "Mini-program id registered to this organisation (for good).",
            "key-added", "Package-signing key added.",
            "key-revoked", "Key revoked: packages signed with it are refused from now on.");

    private final Organisations organisations;
    private final ObjectProvider<OperatorDirectory> operators;

    OrganisationConsole(Organisations organisations, ObjectProvider<OperatorDirectory> operators) {
        this.organisations = organisations;
        this.operators = operators;
    }

    @GetMapping(ORGANISATIONS)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String list(Model model) {
        model.addAttribute("organisations", organisations.list().stream().map(o -> OrganisationView.of(organisations, o)).toList());
        model.addAttribute("nameCharsMax", Organisations.NAME_CHARS_MAX);
        return "console/organisations";
    }

    @PostMapping(ORGANISATIONS)
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String register(@RequestParam(name = "legalName", defaultValue = "") String legalName,
            @RequestParam(name = "contact", defaultValue = "") String contact) {
        Organisation organisation = organisations.register(Actor.currentOperator(), limit(legalName, Organisations.NAME_CHARS_MAX),
                limit(contact, Organisations.NAME_CHARS_MAX));
        return back(organisation.id(), "registered");
    }

    @GetMapping(ORGANISATIONS + "/{id}")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String organisation(@PathVariable("id") String id, @RequestParam(name = "outcome", required = false) String outcome, Model model) {
        model.addAttribute("organisation", OrganisationView.of(organisations, organisations.existing(OrganisationController.id(id))));
        model.addAttribute("message", outcome == null ? null : MESSAGES.get(outcome));
        // Who an actor id is, for the page; without the identity module's directory, the ids themselves.
        model.addAttribute("actors", operators.getIfAvailable(() -> operator -> java.util.Optional.empty()));
        return "console/organisation";
    }

    @PostMapping(ORGANISATIONS + "/{id}/verify")
    @RequiresPermission(value = Permission.ORGANISATIONS_MANAGE, stepUp = true)
    String verify(@PathVariable("id") String id) {
        return back(organisations.verify(Actor.currentOperator(), OrganisationController.id(id)).id(), "verified");
    }

    @PostMapping(ORGANISATIONS + "/{id}/members")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String addMember(@PathVariable("id") String id, @RequestParam(name = "operatorId", defaultValue = "") String operatorId) {
        OrganisationId organisation = OrganisationController.id(id);
        UUID member;
        try {
            member = UUID.fromString(operatorId.strip());
        } catch (IllegalArgumentException e) {
            member = null; // not a UUID: refused by member(), as the API refuses an operator id that is none
        }
        organisations.addMember(Actor.currentOperator(), organisation, OrganisationController.member(member));
        return back(organisation, "member");
    }

    @PostMapping(ORGANISATIONS + "/{id}/mini-programs")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String addMiniProgram(@PathVariable("id") String id, @RequestParam(name = "appId", defaultValue = "") String appId) {
        OrganisationId organisation = OrganisationController.id(id);
        organisations.addMiniProgram(Actor.currentOperator(), organisation, OrganisationController.app(limit(appId.strip(), 128)));
        return back(organisation, "mini-program");
    }

    @PostMapping(ORGANISATIONS + "/{id}/keys")
    @RequiresPermission(value = Permission.ORGANISATIONS_MANAGE, stepUp = true)
    String addKey(@PathVariable("id") String id, @RequestParam(name = "publicKeyPem", defaultValue = "") String publicKeyPem) {
        OrganisationId organisation = OrganisationController.id(id);
        organisations.addKey(Actor.currentOperator(), organisation, limit(publicKeyPem, Organisations.PEM_CHARS_MAX + 1));
        return back(organisation, "key-added");
    }

    @PostMapping(ORGANISATIONS + "/{id}/keys/{keyId}/revoke")
    @RequiresPermission(Permission.ORGANISATIONS_MANAGE)
    String revokeKey(@PathVariable("id") String id, @PathVariable("keyId") String keyId) {
        OrganisationId organisation = OrganisationController.id(id);
        organisations.revokeKey(Actor.currentOperator(), organisation, OrganisationController.keyId(keyId));
        return back(organisation, "key-revoked");
    }

    private static String back(OrganisationId organisation, String outcome) {
        return "redirect:" + ORGANISATIONS + "/" + organisation + "?outcome=" + outcome;
    }

    /** Form fields are cut one past their limit, so the service still refuses a value that was too long. */
    private static String limit(String value, int charsMax) {
        return value.length() > charsMax ? value.substring(0, charsMax + 1) : value;
    }
}
