package dev.capsule.server.access.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OrganisationBinding;
import dev.capsule.server.access.OperatorDirectory;
import dev.capsule.server.access.OrganisationDirectory;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's API key pages: the keys (newest page first by id, with a next link), the create form, one key with
 * approve and revoke. Each handler declares the permission and step-up of the matching {@code /api/v1/api-keys}
 * endpoint and calls the same {@link ApiKeyService}, so the two-person rule, the scope rules, the expiry limit and
 * the audit events are the API's; a refusal is a console page with the API's status ({@link ConsolePage}).
 *
 * <p>Security guarantees: the token is shown once, on the answer to the create form (never in a URL, never on
 * another page; the server keeps only its SHA-256); key names and actor ids are printed escaped; no script.
 */
@Controller
@ConsolePage
class ApiKeyConsole {
    static final String KEYS = "/console/api-keys";
    /** Keys listed per page. */
    static final int PAGE_SIZE = ApiKeyService.PAGE_SIZE_DEFAULT;
    /** Characters of a text field read at most (longer ones are refused by the service's own limits). */
    static final int FIELD_CHARS_MAX = 200;
    /** The expiry the create form suggests, in days. */
    static final int EXPIRES_IN_DAYS_SUGGESTED = 90;

    private final ApiKeyService keys;
    private final ObjectProvider<OrganisationDirectory> organisations;
    private final ObjectProvider<OperatorDirectory> operators;

    ApiKeyConsole(ApiKeyService keys, ObjectProvider<OrganisationDirectory> organisations, ObjectProvider<OperatorDirectory> operators) {
        this.keys = keys;
        this.organisations = organisations;
        this.operators = operators;
    }

    /** Who an actor id is, for the page; without the identity module's directory, the ids themselves. */
    private OperatorDirectory actors() {
        return operators.getIfAvailable(() -> operator -> java.util.Optional.empty());
    }

    @GetMapping(KEYS)
    @RequiresPermission(Permission.APIKEYS_READ)
    String list(@RequestParam(name = "after", required = false) String after, Model model) {
        Optional<String> from = Optional.ofNullable(after).filter(id -> id.matches(ApiKeyController.KEY_ID));
        List<StoredKey> page = keys.page(from, Optional.of(PAGE_SIZE));
        Instant now = keys.now();
        model.addAttribute("actors", actors());
        model.addAttribute("keys", page.stream().map(key -> ApiKeyView.of(key, now)).toList());
        model.addAttribute("next", page.size() == PAGE_SIZE ? page.getLast().keyId() : null);
        model.addAttribute("canManage", Caller.current().holds(Permission.APIKEYS_MANAGE));
        model.addAttribute("grantable", Permission.grantableToMachines().stream().map(p -> new Choice(p.code(), p.description())).toList());
        OrganisationDirectory directory = organisations.getIfAvailable();
        model.addAttribute("organisations", directory == null ? List.of() : directory.registered());
        model.addAttribute("organisationScope", ApiKeyService.ORGANISATION_SCOPE.stream().map(Permission::code).sorted().toList());
        model.addAttribute("expiresInDaysMax", ApiKeyService.EXPIRES_IN_DAYS_MAX);
        model.addAttribute("expiresInDaysSuggested", EXPIRES_IN_DAYS_SUGGESTED);
        return "console/api-keys";
    }

    /** A permission a key may hold, as the form offers it. */
    record Choice(String code, String description) {
    }

    @PostMapping(KEYS)
    @RequiresPermission(value = Permission.APIKEYS_MANAGE, stepUp = true)
    String create(@RequestParam(name = "name", defaultValue = "") String name,
            @RequestParam(name = "permissions", required = false) List<String> permissions,
            @RequestParam(name = "expiresInDays", defaultValue = "") String expiresInDays,
            @RequestParam(name = "burstRequests", defaultValue = "") String burstRequests,
            @RequestParam(name = "refillPerMinute", defaultValue = "") String refillPerMinute,
            @RequestParam(name = "organisation", defaultValue = "") String organisation, Model model) {
        Integer expiry = number("expiresInDays", expiresInDays);
        ApiKeyService.CreatedKey created = keys.create(ApiKeyController.operator(), new ApiKeyService.NewKey(limit(name),
                permissions == null ? List.of() : permissions.stream().limit(ApiKeyService.PERMISSIONS_MAX + 1L).map(ApiKeyConsole::limit).toList(),
                expiry == null ? 0 : expiry, number("burstRequests", burstRequests), number("refillPerMinute", refillPerMinute),
                binding(organisation)));
        model.addAttribute("key", ApiKeyView.of(created.key(), keys.now()));
        model.addAttribute("token", created.token().reveal());
        return "console/api-key-created";
    }

    @GetMapping(KEYS + "/{keyId}")
    @RequiresPermission(Permission.APIKEYS_READ)
    String key(@PathVariable("keyId") String keyId, @RequestParam(name = "outcome", required = false) String outcome, Model model) {
        ApiKeyView key = ApiKeyView.of(keys.get(ApiKeyController.checked(keyId)), keys.now());
        Caller caller = Caller.current();
        model.addAttribute("key", key);
        model.addAttribute("actors", actors());
        model.addAttribute("canApprove", caller.holds(Permission.APIKEYS_APPROVE) && key.status().equals("pending"));
        model.addAttribute("ownKey", key.createdBy().equals(caller.actorId()));
        model.addAttribute("canRevoke", caller.holds(Permission.APIKEYS_MANAGE) && !key.status().equals("revoked"));
        model.addAttribute("message", outcome == null ? null : switch (outcome) {
            case "approved" -> "Approved: the key works from now until it expires or is revoked.";
            case "revoked" -> "Revoked: the key stopped working on every node.";
            default -> null;
        });
        return "console/api-key";
    }

    @PostMapping(KEYS + "/{keyId}/approve")
    @RequiresPermission(value = Permission.APIKEYS_APPROVE, stepUp = true)
    String approve(@PathVariable("keyId") String keyId) {
        return "redirect:" + KEYS + "/" + keys.approve(ApiKeyController.operator(), ApiKeyController.checked(keyId)).keyId() + "?outcome=approved";
    }

    @PostMapping(KEYS + "/{keyId}/revoke")
    @RequiresPermission(Permission.APIKEYS_MANAGE)
    String revoke(@PathVariable("keyId") String keyId) {
        return "redirect:" + KEYS + "/" + keys.revoke(ApiKeyController.operator(), ApiKeyController.checked(keyId)).keyId() + "?outcome=revoked";
    }

    /** A whole number from a form field; blank is none (the service's default or refusal applies). */
    private static Integer number(String field, String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(text.strip());
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                    Map.of("errors", List.of(Map.of("field", field, "message", "must be a whole number"))));
        }
    }

    /** The optional organisation (its registry id), refused exactly as the API refuses one that is not registered. */
    private static OrganisationBinding binding(String organisation) {
        if (organisation.isBlank()) {
            return null;
        }
        UUID id;
        try {
            id = UUID.fromString(organisation.strip());
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, "1 field is invalid", Map.of("errors",
                    List.of(Map.of("field", "organisation", "message", "is not an organisation id"))));
        }
        return ApiKeyController.binding(id);
    }

    private static String limit(String value) {
        return value.length() > FIELD_CHARS_MAX ? value.substring(0, FIELD_CHARS_MAX) : value;
    }
}
