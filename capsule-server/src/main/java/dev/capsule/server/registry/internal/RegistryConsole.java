package dev.capsule.server.registry.internal;

import dev.capsule.core.json.StrictJson;
import dev.capsule.core.release.RiskProfile;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ConsolePage;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.internal.VersionViews.DiffView;
import dev.capsule.server.registry.internal.VersionViews.ManifestView;
import dev.capsule.server.registry.internal.VersionViews.VersionView;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import tools.jackson.databind.JsonNode;

/**
 * The review console (server-rendered, like identity's console pages; no script): submissions, one version
 * (manifest, declared privacy purposes, the minimization report, findings, the risk questionnaire with the decision
 * forms, and the stored risk assessment once approved), its stored findings report, and its diff.
 * Decisions post forms with the session's CSRF token and go through the same {@link Reviews} as the API,
 * declared with the same permissions and step-up; a refused decision is shown on the page in one line, and any other
 * refusal (a missing permission, a stale step-up, an unknown version) is a console page with the API's status
 * ({@link ConsolePage}).
 *
 * <p>Security guarantees: every developer-supplied text reaches the page through {@code th:text} only
 * (escaped); the stored findings report is served as the review module wrote it (script-free, every field
 * escaped) under the server's Content-Security-Policy, which forbids script.
 */
@Controller
@ConsolePage
class RegistryConsole {
    static final String PACKAGES = "/console/packages";
    static final int LIST_SIZE = 100;

    private final Catalogue catalogue;
    private final Reviews reviews;

    RegistryConsole(Catalogue catalogue, Reviews reviews) {
        this.catalogue = catalogue;
        this.reviews = reviews;
    }

    @GetMapping(PACKAGES)
    @RequiresPermission(Permission.PACKAGES_READ)
    String list(@RequestParam(name = "state", defaultValue = "in-review") String state, Model model) {
        Optional<VersionState> wanted = VersionState.fromCode(state);
        model.addAttribute("state", wanted.map(VersionState::code).orElse("all"));
        model.addAttribute("versions", catalogue.page(Actor.currentOperator(), wanted, Optional.empty(), LIST_SIZE).stream()
                .map(VersionView::of).toList());
        return "console/packages";
    }

    @GetMapping(PACKAGES + "/{id}")
    @RequiresPermission(Permission.PACKAGES_READ)
    String version(@PathVariable("id") String id, @RequestParam(name = "outcome", required = false) String outcome, Model model) {
        return page(id, model, outcome == null ? null : switch (outcome) {
            case "approved" -> "Approved.";
            case "rejected" -> "Rejected.";
            case "exception" -> "Exception recorded.";
            default -> null;
        }, null);
    }

    @GetMapping(path = PACKAGES + "/{id}/findings", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresPermission(Permission.PACKAGES_READ)
    ResponseEntity<byte[]> findings(@PathVariable("id") String id) {
        return ResponseEntity.ok().contentType(MediaType.TEXT_HTML)
                .body(catalogue.findingsHtml(catalogue.version(Actor.currentOperator(), PackageController.id(id))));
    }

    @GetMapping(PACKAGES + "/{id}/diff")
    @RequiresPermission(Permission.PACKAGES_READ)
    String diff(@PathVariable("id") String id, Model model) {
        StoredVersion version = catalogue.version(Actor.currentOperator(), PackageController.id(id));
        model.addAttribute("version", VersionView.of(version));
        model.addAttribute("diff", DiffView.of(catalogue.base(version), catalogue.diff(version)));
        return "console/package-diff";
    }

    @PostMapping(PACKAGES + "/{id}/approve")
    @RequiresPermission(value = Permission.PACKAGES_APPROVE, stepUp = true)
    String approve(@PathVariable("id") String id, @RequestParam(name = "data", defaultValue = "") String data,
            @RequestParam(name = "users", defaultValue = "") String users, @RequestParam(name = "money", defaultValue = "") String money,
            @RequestParam(name = "preset", defaultValue = "") String preset,
            @RequestParam(name = "raiseReason", defaultValue = "") String raiseReason,
            @RequestParam(name = "reason", defaultValue = "") String reason, Model model) {
        Reviews.Approval approval = new Reviews.Approval(limit(data, 32), limit(users, 32), limit(money, 32), limit(preset, 32),
                limit(raiseReason, Reviews.REASON_CHARS_MAX), limit(reason, Reviews.REASON_CHARS_MAX));
        return decided(id, model, "approved", () -> reviews.approve(Actor.currentOperator(), PackageController.id(id), approval));
    }

    @PostMapping(PACKAGES + "/{id}/reject")
    @RequiresPermission(value = Permission.PACKAGES_APPROVE, stepUp = true)
    String reject(@PathVariable("id") String id, @RequestParam(name = "reason", defaultValue = "") String reason, Model model) {
        return decided(id, model, "rejected",
                () -> reviews.reject(Actor.currentOperator(), PackageController.id(id), limit(reason, Reviews.REASON_CHARS_MAX)));
    }

    @PostMapping(PACKAGES + "/{id}/exception")
    @RequiresPermission(value = Permission.PACKAGES_EXCEPTION, stepUp = true)
    String exception(@PathVariable("id") String id, @RequestParam(name = "reason", defaultValue = "") String reason, Model model) {
        return decided(id, model, "exception",
                () -> reviews.recordException(Actor.currentOperator(), PackageController.id(id), limit(reason, Reviews.REASON_CHARS_MAX)));
    }

    /** Carries out a decision: back to the version's page with its outcome, or with the refusal shown on it. */
    private String decided(String id, Model model, String outcome, Runnable decision) {
        try {
            decision.run();
        } catch (ProblemException e) {
            return page(id, model, null, e.getMessage());
        }
        return "redirect:" + PACKAGES + "/" + id + "?outcome=" + outcome;
    }

    private String page(String id, Model model, String message, String error) {
        StoredVersion version = catalogue.version(Actor.currentOperator(), PackageController.id(id));
        JsonNode report = StrictJson.mapper().readTree(catalogue.findingsJson(version));
        List<Finding> findings = report.get("findings").valueStream().map(f -> new Finding(
                f.get("severity").asString(), f.get("rule").asString(), f.has("path") ? f.get("path").asString() : "",
                f.get("line").asInt(), f.get("explanation").asString(),
                f.has("advisory") ? f.get("advisory").get("id").asString()
                        + (f.get("advisory").has("fixed") ? " (fixed in " + f.get("advisory").get("fixed").asString() + ")" : "")
                        : "")).toList();
        model.addAttribute("version", VersionView.of(version));
        model.addAttribute("manifest", ManifestView.of(catalogue.pkg(version.id()).manifest()));
        model.addAttribute("findings", findings);
        model.addAttribute("presets", Arrays.stream(RiskProfile.values()).map(RiskProfile::code).toList());
        model.addAttribute("questions", VersionViews.QuestionView.all());
        model.addAttribute("risk", catalogue.assessment(version).map(VersionViews.RiskView::of).orElse(null));
        model.addAttribute("minimization", minimization(StrictJson.mapper().readTree(catalogue.minimizationJson(version))));
        model.addAttribute("inReview", version.state() == VersionState.IN_REVIEW);
        model.addAttribute("message", message);
        model.addAttribute("error", error);
        return "console/package";
    }

    /** The minimization report as rows: one per declared API (with its category and purpose), then one per undeclared API. */
    record MinimizationRow(String data, String purpose, String api, String state, String where) {
    }

    private static List<MinimizationRow> minimization(JsonNode report) {
        List<MinimizationRow> rows = new java.util.ArrayList<>();
        report.get("declared").valueStream().forEach(d -> {
            if (d.get("apis").isEmpty()) {
                rows.add(new MinimizationRow(d.get("data").asString(), d.get("purpose").asString(), "", "no API named", ""));
            }
            d.get("apis").valueStream().forEach(api -> rows.add(new MinimizationRow(d.get("data").asString(), d.get("purpose").asString(),
                    api.get("api").asString(), api.get("used").asBoolean() ? "used" : "declared, never used", where(api.get("use")))));
        });
        report.get("undeclared").valueStream().forEach(api -> rows.add(new MinimizationRow("", "", api.get("api").asString(),
                "used, not declared", where(api))));
        return rows;
    }

    private static String where(JsonNode use) {
        return use == null || use.isMissingNode() || use.isNull() ? "" : use.get("firstPath").asString() + ":" + use.get("firstLine").asInt()
                + (use.get("uses").asInt() > 1 ? " (" + use.get("uses").asInt() + " uses)" : "");
    }

    /** One finding row, as the report's JSON holds it. */
    record Finding(String severity, String rule, String path, int line, String explanation, String advisory) {
    }

    private static String limit(String text, int charsMax) {
        return text.length() > charsMax ? text.substring(0, charsMax + 1) : text;
    }
}
