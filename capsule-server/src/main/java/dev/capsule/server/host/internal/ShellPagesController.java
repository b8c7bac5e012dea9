package dev.capsule.server.host.internal;

import dev.capsule.runtime.host.ConsentLedger;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.privacy.PrivacyRequests;
import dev.capsule.server.registry.MiniProgramId;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The shell's own pages, server-rendered: {@code /shell} (the mini-programs the user may open, each with its
 * developer and a verified badge) and {@code /shell/settings} (per mini-program and scope: the purpose text shown and
 * the decision, with one-click Withdraw and Allow forms; the user's passkeys for payments). Withdraw and Allow are form
 * POSTs through {@link ShellForms} (same origin, the session's CSRF token), audited by the ledger
 * ({@code consent.withdraw}, {@code consent.allow}); a withdrawal holds from a running session's next call. Every
 * text on them comes from the platform (names from released manifests, developers from the registry, purposes from
 * released capsule.json files) and is printed escaped by Thymeleaf; the only script is the settings page's fixed
 * {@code /shell/passkeys.js}.
 */
@Controller
class ShellPagesController {
    private final ObjectProvider<LaunchSource> sources;
    private final JdbcConsentLedger ledger;
    private final HostSettings settings;

    private final ShellPasskeys passkeys;
    private final PrivacyRequests privacyRequests;
    private final Residency residency;
    private final Placements placements;

    ShellPagesController(ObjectProvider<LaunchSource> sources, JdbcConsentLedger ledger, HostSettings settings, ShellPasskeys passkeys,
            PrivacyRequests privacyRequests, Residency residency, Placements placements) {
        this.privacyRequests = privacyRequests;
        this.residency = residency;
        this.placements = placements;
        this.sources = sources;
        this.ledger = ledger;
        this.settings = settings;
        this.passkeys = passkeys;
    }

    /** One row of the list: an entry and the path that opens it. */
    record Listed(CatalogueEntry entry, String path) {
    }

    /**
     * One scope's row on the settings page.
     *
     * @param state      {@code allowed}, {@code denied} or {@code withdrawn} (also the row's data attribute)
     * @param askedAgain whether the decision was kept from before purposes were recorded, so the next use asks again
     */
    record Row(String scope, String purpose, String state, boolean askedAgain, java.time.Instant decidedAt) {
        static Row of(ConsentLedger.Decision decision) {
            String state = switch (decision.state()) {
                case GRANTED -> "allowed";
                case DENIED -> "denied";
                case WITHDRAWN -> "withdrawn";
            };
            return new Row(decision.scope(), decision.purpose(), state, decision.privacy().isEmpty(), decision.decidedAt());
        }
    }

    /** The decisions of one mini-program on the settings page. */
    record AppDecisions(String app, String name, List<Row> decisions) {
    }

    @GetMapping(ShellPaths.LIST)
    String list(HttpServletRequest request, Model model) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        common(model, session);
        model.addAttribute("apps", openable(session.principal()).values().stream()
                .map(entry -> new Listed(entry, ShellEntryController.appPath(entry.app()))).toList());
        return "shell/list";
    }

    @GetMapping(ShellPaths.SETTINGS)
    String settingsPage(HttpServletRequest request, Model model) {
        ShellSignIn.ShellSession session = ShellForms.session(request);
        common(model, session);
        Map<MiniProgramId, CatalogueEntry> names = openable(session.principal());
        Map<MiniProgramId, List<Row>> byApp = new LinkedHashMap<>();
        for (JdbcConsentLedger.Listed listed : ledgerOf(session.principal()).decisionsOf(session.principal().user())) {
            byApp.computeIfAbsent(listed.app(), app -> new ArrayList<>()).add(Row.of(listed.decision()));
        }
        model.addAttribute("apps", byApp.entrySet().stream().map(e -> new AppDecisions(e.getKey().value(),
                names.containsKey(e.getKey()) ? names.get(e.getKey()).name() : e.getKey().value(), e.getValue())).toList());
        model.addAttribute("passkeys", passkeys.list(PayerRefs.payer(session.principal().user())));
        RegionalDatabase db = residency.database(session.principal().region());
        model.addAttribute("region", db.region().value());
        // Payments (and passkeys for them) are kept in the home region only (docs/residency.md).
        model.addAttribute("paymentsHere", placements.paymentsAllowed(session.principal()));
        model.addAttribute("privacyRequests", privacyRequests.of(ShellPrivacyController.subject(session.principal())));
        return "shell/settings";
    }

    @PostMapping(ShellPaths.WITHDRAW)
    String withdraw(@RequestParam(name = "app", required = false) String app, @RequestParam(name = "scope", required = false) String scope,
            HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        return changed(ledgerOf(session.principal()).withdraw(session.principal().user(), appOf(app), scopeOf(scope)));
    }

    @PostMapping(ShellPaths.ALLOW)
    String allow(@RequestParam(name = "app", required = false) String app, @RequestParam(name = "scope", required = false) String scope,
            HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        return changed(ledgerOf(session.principal()).allow(session.principal().user(), appOf(app), scopeOf(scope)));
    }

    /** The consent ledger of the database of {@code who}'s region. */
    private JdbcConsentLedger ledgerOf(ShellPrincipal who) {
        return ledger.in(residency.database(who.region()));
    }

    /** Back to the settings page when done (or already so: a second click changes nothing); a clear problem otherwise. */
    private static String changed(JdbcConsentLedger.Change change) {
        return switch (change) {
            case CHANGED, UNCHANGED -> "redirect:" + ShellPaths.SETTINGS;
            case NO_DECISION -> throw new ProblemException(HostProblems.CONSENT_NOT_FOUND,
                    "you have no decision on this scope of this mini-program");
            case HISTORY_FULL -> throw new ProblemException(HostProblems.CONSENT_HISTORY_FULL, "your consent history with this "
                    + "mini-program is full (" + JdbcConsentLedger.EVENTS_PER_APP_USER_MAX + " decisions); the scope stays as it is");
        };
    }

    private static MiniProgramId appOf(String app) {
        return MiniProgramId.parse(app).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "app: a mini-program id is reverse-DNS in lower case, like com.example.todo"));
    }

    private static String scopeOf(String scope) {
        if (scope == null || !ConsentLedger.SCOPE.matcher(scope).matches()) {
            throw new ProblemException(ProblemType.VALIDATION, "scope: 1 to 64 letters, digits and . _ : -");
        }
        return scope;
    }

    /** What every source would open for the user, by app (the first source that lists an app wins, as for launching). */
    private Map<MiniProgramId, CatalogueEntry> openable(ShellPrincipal who) {
        Map<MiniProgramId, CatalogueEntry> entries = new LinkedHashMap<>();
        sources.orderedStream().forEach(source -> source.openable(who).forEach(entry -> entries.putIfAbsent(entry.app(), entry)));
        return entries;
    }

    private void common(Model model, ShellSignIn.ShellSession session) {
        model.addAttribute("demo", session.principal().demo() || settings.demoUsers());
        model.addAttribute("csrf", session.csrfToken());
    }
}
