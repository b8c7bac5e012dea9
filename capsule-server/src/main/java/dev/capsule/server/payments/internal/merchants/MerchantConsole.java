package dev.capsule.server.payments.internal.merchants;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorDirectory;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.internal.merchants.MerchantController.MerchantView;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.registry.OrganisationId;
import dev.capsule.server.registry.VerifiedOrganisations.VerifiedOrganisation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's merchant pages: the merchants with a register form per verified organisation, and one merchant with
 * its keys (add an Ed25519 public key, generate an HMAC secret shown once, revoke) and disable / enable. Each handler
 * declares the permission and step-up of the matching {@code /api/v1/merchants} endpoint and calls the same
 * {@link Merchants} service (so the rules, limits and audit entries are the API's); a refusal is a console page with
 * the API's status ({@code ConsolePage}).
 *
 * <p>Security guarantees: names, ids and PEM texts are printed escaped; no script; every form posts with the
 * session's CSRF token; a generated secret appears only in the answer to the form that generated it (never in a URL,
 * never on a page that can be loaded again).
 */
@Controller
@dev.capsule.server.platform.ConsolePage
class MerchantConsole {
    static final String MERCHANTS = "/console/merchants";

    /** The message of each outcome a form redirects with (anything else in {@code ?outcome=} shows nothing). */
    private static final Map<String, String> MESSAGES = Map.of(
            "registered", "Registered. Add a signing key so its backend can call the payments API.",
            "key-added", "Ed25519 key added: requests signed with it are accepted from now on.",
            "key-revoked", "Key revoked: requests and paySign made with it are refused from now on.",
            "disabled", "Disabled: its requests are refused and its payments cannot be made until it is enabled again.",
            "enabled", "Enabled again.");

    private final Merchants merchants;
    private final ObjectProvider<OperatorDirectory> operators;

    MerchantConsole(Merchants merchants, ObjectProvider<OperatorDirectory> operators) {
        this.merchants = merchants;
        this.operators = operators;
    }

    /** A verified organisation the register form offers, with its mini-programs that have no merchant yet. */
    record Registrable(String id, String name, List<String> freeApps) {
    }

    @GetMapping(MERCHANTS)
    @RequiresPermission(Permission.PAYMENTS_READ)
    String list(Model model) {
        List<RegisteredMerchant> all = merchants.list();
        model.addAttribute("merchants", all.stream().map(m -> MerchantView.of(m, List.of())).toList());
        boolean canManage = Caller.current().holds(Permission.PAYMENTS_MANAGE);
        model.addAttribute("canManage", canManage);
        if (canManage) {
            Set<MiniProgramId> taken = new HashSet<>();
            all.forEach(m -> taken.addAll(m.merchant().apps()));
            model.addAttribute("registrable", merchants.verifiedOrganisations().stream()
                    .map(o -> registrable(o, taken)).filter(r -> !r.freeApps().isEmpty()).toList());
        }
        return "console/merchants";
    }

    @PostMapping(MERCHANTS)
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String register(@RequestParam(name = "organisation", defaultValue = "") String organisation,
            @RequestParam(name = "apps", required = false) List<String> apps) {
        OrganisationId id = OrganisationId.parse(organisation).orElseThrow(() ->
                Merchants.invalid("organisation", "must be an organisation id (a UUID)"));
        List<String> chosen = apps == null ? List.of() : apps.stream().limit(Merchants.APPS_PER_MERCHANT_MAX + 1L).toList();
        return back(merchants.register(MerchantController.operator(), id, chosen).merchant().id(), "registered");
    }

    @GetMapping(MERCHANTS + "/{id}")
    @RequiresPermission(Permission.PAYMENTS_READ)
    String merchant(@PathVariable("id") String id, @RequestParam(name = "outcome", required = false) String outcome, Model model) {
        RegisteredMerchant merchant = merchants.existing(MerchantController.id(id));
        model.addAttribute("merchant", MerchantView.of(merchant, merchants.keys(merchant.merchant().id())));
        model.addAttribute("message", outcome == null ? null : MESSAGES.get(outcome));
        model.addAttribute("canManage", Caller.current().holds(Permission.PAYMENTS_MANAGE));
        model.addAttribute("pemCharsMax", Merchants.PEM_CHARS_MAX);
        // Who an actor id is, for the page; without the identity module's directory, the ids themselves.
        model.addAttribute("actors", operators.getIfAvailable(() -> operator -> Optional.empty()));
        return "console/merchant";
    }

    @PostMapping(MERCHANTS + "/{id}/keys/ed25519")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String addEd25519Key(@PathVariable("id") String id, @RequestParam(name = "publicKeyPem", defaultValue = "") String publicKeyPem) {
        MerchantId merchant = MerchantController.id(id);
        merchants.addEd25519Key(MerchantController.operator(), merchant, limit(publicKeyPem, Merchants.PEM_CHARS_MAX + 1));
        return back(merchant, "key-added");
    }

    @PostMapping(MERCHANTS + "/{id}/keys/hmac-sha256")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String generateHmacKey(@PathVariable("id") String id, Model model) {
        MerchantId merchant = MerchantController.id(id);
        Merchants.GeneratedHmacKey generated = merchants.generateHmacKey(MerchantController.operator(), merchant);
        model.addAttribute("merchantId", merchant.value());
        model.addAttribute("key", MerchantController.KeyView.of(generated.key()));
        model.addAttribute("secret", generated.secretBase64());
        return "console/merchant-secret";
    }

    @PostMapping(MERCHANTS + "/{id}/keys/{keyId}/revoke")
    @RequiresPermission(Permission.PAYMENTS_MANAGE)
    String revokeKey(@PathVariable("id") String id, @PathVariable("keyId") String keyId) {
        MerchantId merchant = MerchantController.id(id);
        merchants.revokeKey(MerchantController.operator(), merchant, MerchantController.keyId(keyId));
        return back(merchant, "key-revoked");
    }

    @PostMapping(MERCHANTS + "/{id}/disable")
    @RequiresPermission(Permission.PAYMENTS_MANAGE)
    String disable(@PathVariable("id") String id) {
        MerchantId merchant = MerchantController.id(id);
        merchants.setEnabled(MerchantController.operator(), merchant, false);
        return back(merchant, "disabled");
    }

    @PostMapping(MERCHANTS + "/{id}/enable")
    @RequiresPermission(value = Permission.PAYMENTS_MANAGE, stepUp = true)
    String enable(@PathVariable("id") String id) {
        MerchantId merchant = MerchantController.id(id);
        merchants.setEnabled(MerchantController.operator(), merchant, true);
        return back(merchant, "enabled");
    }

    private static Registrable registrable(VerifiedOrganisation organisation, Set<MiniProgramId> taken) {
        return new Registrable(organisation.id().toString(), organisation.verifiedName(), organisation.apps().stream()
                .filter(app -> !taken.contains(app)).map(MiniProgramId::value).sorted().toList());
    }

    private static String back(MerchantId merchant, String outcome) {
        return "redirect:" + MERCHANTS + "/" + merchant + "?outcome=" + outcome;
    }

    /** Form fields are cut one past their limit, so the service still refuses a value that was too long. */
    private static String limit(String value, int charsMax) {
        return value.length() > charsMax ? value.substring(0, charsMax + 1) : value;
    }
}
