package dev.capsule.server.privacy.internal;

import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ConsolePage;
import java.time.Instant;
import java.util.Optional;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console's data-subject requests ({@code /console/privacy/requests}, {@code privacy.manage}): the list with
 * deadlines, a form to file one for a person, and one request with its erasure certificate. The same service as the
 * API ({@link PrivacyController}).
 *
 * <p>Security guarantees: no script; every value through {@code th:text}; the form posts with the console's CSRF token.
 */
@Controller
@ConsolePage
class PrivacyConsole {
    static final String PAGE = "/console/privacy/requests";

    private final RequestService requests;

    PrivacyConsole(RequestService requests) {
        this.requests = requests;
    }

    @GetMapping(PAGE)
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    String list(@RequestParam(name = "before", required = false) String before, Model model) {
        Instant now = Instant.now();
        var page = requests.page(before == null ? Optional.empty() : Optional.of(PrivacyController.id(before)), PrivacyController.PAGE_MAX);
        model.addAttribute("requests", page.stream().map(r -> RequestView.of(r, now)).toList());
        model.addAttribute("next", page.size() == PrivacyController.PAGE_MAX ? page.getLast().request().id().toString() : null);
        return "console/privacy-requests";
    }

    @PostMapping(PAGE)
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    String file(@RequestParam("kind") String kind, @RequestParam("user") String user) {
        var filed = requests.fileFor(PrivacyController.operator(), PrivacyController.subject(user), PrivacyController.kind(kind));
        return "redirect:" + PAGE + "/" + filed.request().id();
    }

    @GetMapping(PAGE + "/{id}")
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    String one(@PathVariable("id") String id, Model model) {
        RegionalRequest request = requests.find(PrivacyController.id(id)).orElseThrow(() -> PrivacyController.notFound());
        model.addAttribute("request", RequestView.of(request, Instant.now()));
        model.addAttribute("certificate", requests.certificate(request).orElse(null));
        return "console/privacy-request";
    }
}
