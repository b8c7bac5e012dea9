package dev.capsule.server.host.internal;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
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
 * developer and a verified badge) and {@code /shell/settings} (remembered consent decisions, each revocable; the
 * user's passkeys for payments). Every text on them comes from the platform (names from released manifests, developers
 * from the registry), is printed escaped by Thymeleaf; the only script is the settings page's fixed
 * {@code /shell/passkeys.js}.
 */
@Controller
class ShellPagesController {
    private final ObjectProvider<LaunchSource> sources;
    private final JdbcConsentLedger ledger;
    private final HostSettings settings;

    private final ShellPasskeys passkeys;

    ShellPagesController(ObjectProvider<LaunchSource> sources, JdbcConsentLedger ledger, HostSettings settings, ShellPasskeys passkeys) {
        this.sources = sources;
        this.ledger = ledger;
        this.settings = settings;
        this.passkeys = passkeys;
    }

    /** One row of the list: an entry and the path that opens it. */
    record Listed(CatalogueEntry entry, String path) {
    }

    /** The decisions of one mini-program on the settings page. */
    record AppDecisions(String app, String name, List<JdbcConsentLedger.Decision> decisions) {
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
        Map<MiniProgramId, List<JdbcConsentLedger.Decision>> byApp = new LinkedHashMap<>();
        for (JdbcConsentLedger.Decision decision : ledger.decisionsOf(session.principal().user())) {
            byApp.computeIfAbsent(decision.app(), app -> new ArrayList<>()).add(decision);
        }
        model.addAttribute("apps", byApp.entrySet().stream().map(e -> new AppDecisions(e.getKey().value(),
                names.containsKey(e.getKey()) ? names.get(e.getKey()).name() : e.getKey().value(), e.getValue())).toList());
        model.addAttribute("passkeys", passkeys.list(PayerRefs.payer(session.principal().user())));
        return "shell/settings";
    }

    @PostMapping(ShellPaths.REVOKE)
    String revoke(@RequestParam(name = "app", required = false) String app, @RequestParam(name = "scope", required = false) String scope,
            HttpServletRequest request) {
        ShellSignIn.ShellSession session = ShellForms.requireSessionForm(request);
        MiniProgramId id = MiniProgramId.parse(app).orElseThrow(() -> new ProblemException(ProblemType.VALIDATION,
                "app: a mini-program id is reverse-DNS in lower case, like com.example.todo"));
        if (scope == null || scope.isEmpty() || scope.length() > 64) {
            throw new ProblemException(ProblemType.VALIDATION, "scope: 1 to 64 characters");
        }
        try {
            ledger.revoke(session.principal().user(), id, scope);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, "scope: " + e.getMessage());
        }
        return "redirect:" + ShellPaths.SETTINGS;
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
