package dev.capsule.server.registry.internal;

import dev.capsule.core.json.StrictJson;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.registry.PackageVersionId;
import dev.capsule.server.registry.internal.VersionViews.DiffView;
import dev.capsule.server.registry.internal.VersionViews.ManifestView;
import dev.capsule.server.registry.internal.VersionViews.QuestionView;
import dev.capsule.server.registry.internal.VersionViews.RiskView;
import dev.capsule.server.registry.internal.VersionViews.VersionView;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/packages}: upload, submissions, a version's reports and diff, and the review decision (docs/registry.md). */
@RestController
class PackageController {
    static final String PACKAGES = "/api/v1/packages";
    static final String QUESTIONNAIRE = "/api/v1/risk-questionnaire";
    /** The derivation rule, in words (RiskQuestionnaire's class comment; docs/registry.md). */
    static final String RULE = "first match: money other than none, or special data -> financial; users operator-staff -> internal; "
            + "identifying data -> social; basic data -> utility; otherwise content. Order: content < utility < social < internal "
            + "< financial; a reviewer may raise (with raiseReason), never lower; internal only for operator-staff.";
    /** The media type of an upload: the .capsule file's bytes. */
    static final String PACKAGE_MEDIA_TYPE = MediaType.APPLICATION_OCTET_STREAM_VALUE;

    private final Submissions submissions;
    private final Catalogue catalogue;
    private final Reviews reviews;

    PackageController(Submissions submissions, Catalogue catalogue, Reviews reviews) {
        this.submissions = submissions;
        this.catalogue = catalogue;
        this.reviews = reviews;
    }

    record Page(List<VersionView> items, String next) {
    }

    /**
     * A version with what the reviewer judges it by, its minimization report and, once approved, its risk assessment
     * (null before, and for a version approved before assessments existed).
     */
    record Detail(VersionView version, ManifestView manifest, JsonNode findings, JsonNode minimization, RiskView risk) {
    }

    /** The questionnaire's answers, by their codes. */
    record RiskAnswers(@NotNull @Size(max = 32) String data, @NotNull @Size(max = 32) String users,
                       @NotNull @Size(max = 32) String money) {
    }

    /** Approval: the risk questionnaire's answers, optionally a higher profile than they derive (with its reason). */
    record ApproveRequest(@NotNull @Valid RiskAnswers risk, @Size(max = 32) String preset,
                          @Size(max = Reviews.REASON_CHARS_MAX) String raiseReason,
                          @NotNull @Size(max = Reviews.REASON_CHARS_MAX) String reason) {
    }

    /** The risk questionnaire: its questions with their closed answers, and the rule (docs/registry.md). */
    record Questionnaire(List<QuestionView> questions, String rule) {
    }

    record ReasonRequest(@NotNull @Size(max = Reviews.REASON_CHARS_MAX) String reason) {
    }

    /**
     * The media type is checked here, not by the mapping: a mapping's {@code consumes} is matched before the
     * permission check, so a caller without {@code packages.submit} would learn 415 instead of 403.
     */
    @PostMapping(PACKAGES)
    @RequiresPermission(Permission.PACKAGES_SUBMIT)
    ResponseEntity<VersionView> submit(@RequestHeader(name = "Content-Type", required = false) String contentType,
            @RequestBody(required = false) byte[] upload) {
        if (contentType == null || !MediaType.parseMediaType(contentType).equalsTypeAndSubtype(MediaType.APPLICATION_OCTET_STREAM)) {
            throw new ProblemException(ProblemType.UNSUPPORTED_MEDIA_TYPE,
                    "send the .capsule file's bytes as " + PACKAGE_MEDIA_TYPE);
        }
        StoredVersion version = submissions.submit(Actor.current(), upload == null ? new byte[0] : upload);
        return ResponseEntity.created(URI.create(PACKAGES + "/" + version.id())).body(VersionView.of(version));
    }

    @GetMapping(PACKAGES)
    @RequiresPermission(Permission.PACKAGES_READ)
    Page list(@RequestParam("state") Optional<String> state, @RequestParam("after") Optional<String> after,
            @RequestParam("limit") Optional<Integer> limit) {
        Optional<VersionState> wanted = state.map(code -> VersionState.fromCode(code).orElseThrow(() ->
                Organisations.invalid("state", "must be in-review, approved or rejected")));
        Optional<PackageVersionId> from = after.map(text -> PackageVersionId.parse(text).orElseThrow(() ->
                Organisations.invalid("after", "is not a package version id")));
        int size = limit.orElse(Catalogue.PAGE_SIZE_DEFAULT);
        List<StoredVersion> page = catalogue.page(Actor.current(), wanted, from, size);
        return new Page(page.stream().map(VersionView::of).toList(), page.size() == size ? page.getLast().id().toString() : null);
    }

    @GetMapping(PACKAGES + "/{id}")
    @RequiresPermission(Permission.PACKAGES_READ)
    Detail get(@PathVariable("id") String id) {
        StoredVersion version = catalogue.version(Actor.current(), id(id));
        return new Detail(VersionView.of(version), ManifestView.of(catalogue.pkg(version.id()).manifest()),
                StrictJson.mapper().readTree(catalogue.findingsJson(version)),
                StrictJson.mapper().readTree(catalogue.minimizationJson(version)),
                catalogue.assessment(version).map(RiskView::of).orElse(null));
    }

    /** The minimization report: each declared personal-data category and API with its use, and the APIs used undeclared. */
    @GetMapping(path = PACKAGES + "/{id}/minimization", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PACKAGES_READ)
    byte[] minimization(@PathVariable("id") String id) {
        return catalogue.minimizationJson(catalogue.version(Actor.current(), id(id)));
    }

    @GetMapping(QUESTIONNAIRE)
    @RequiresPermission(Permission.PACKAGES_READ)
    Questionnaire questionnaire() {
        return new Questionnaire(QuestionView.all(), RULE);
    }

    @GetMapping(path = PACKAGES + "/{id}/findings", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PACKAGES_READ)
    byte[] findings(@PathVariable("id") String id) {
        return catalogue.findingsJson(catalogue.version(Actor.current(), id(id)));
    }

    /** The report page as stored; the server's Content-Security-Policy and the page's own forbid script. */
    @GetMapping(path = PACKAGES + "/{id}/findings.html", produces = MediaType.TEXT_HTML_VALUE)
    @RequiresPermission(Permission.PACKAGES_READ)
    byte[] findingsHtml(@PathVariable("id") String id) {
        return catalogue.findingsHtml(catalogue.version(Actor.current(), id(id)));
    }

    @GetMapping(path = PACKAGES + "/{id}/sbom", produces = "application/vnd.cyclonedx+json")
    @RequiresPermission(Permission.PACKAGES_READ)
    byte[] sbom(@PathVariable("id") String id) {
        return catalogue.sbomJson(catalogue.version(Actor.current(), id(id)));
    }

    @GetMapping(PACKAGES + "/{id}/diff")
    @RequiresPermission(Permission.PACKAGES_READ)
    DiffView diff(@PathVariable("id") String id) {
        StoredVersion version = catalogue.version(Actor.current(), id(id));
        return DiffView.of(catalogue.base(version), catalogue.diff(version));
    }

    @PostMapping(path = PACKAGES + "/{id}/approve", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.PACKAGES_APPROVE, stepUp = true)
    VersionView approve(@PathVariable("id") String id, @Valid @RequestBody ApproveRequest request) {
        return VersionView.of(reviews.approve(Actor.currentOperator(), id(id), new Reviews.Approval(request.risk().data(),
                request.risk().users(), request.risk().money(), request.preset(), request.raiseReason(), request.reason())));
    }

    @PostMapping(path = PACKAGES + "/{id}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.PACKAGES_APPROVE, stepUp = true)
    VersionView reject(@PathVariable("id") String id, @Valid @RequestBody ReasonRequest request) {
        return VersionView.of(reviews.reject(Actor.currentOperator(), id(id), request.reason()));
    }

    @PostMapping(path = PACKAGES + "/{id}/exception", consumes = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(value = Permission.PACKAGES_EXCEPTION, stepUp = true)
    VersionView exception(@PathVariable("id") String id, @Valid @RequestBody ReasonRequest request) {
        return VersionView.of(reviews.recordException(Actor.currentOperator(), id(id), request.reason()));
    }

    static PackageVersionId id(String text) {
        return PackageVersionId.parse(text).orElseThrow(() ->
                new ProblemException(ProblemType.NOT_FOUND, "there is no package version with that id (ids are UUIDs)"));
    }
}
