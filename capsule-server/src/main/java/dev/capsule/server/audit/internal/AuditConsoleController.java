package dev.capsule.server.audit.internal;

import dev.capsule.core.merkle.MerkleProofs;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.audit.AuditEventType;
import dev.capsule.server.platform.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The console's audit log pages (server-rendered, no script, every form with its CSRF token), for holders of
 * {@code audit.read} exactly like {@code /api/v1/audit}: the newest entries filtered by type, actor and time a page at
 * a time ({@link AuditBrowser}); one entry with every field, its stored leaf hash, its inclusion proof in the latest
 * signed checkpoint (checked against that checkpoint's root on the server) and the checkpoint's signed note; publishing a
 * checkpoint now (the API's {@code POST /api/v1/audit/checkpoints}, the same {@link CheckpointPublisher}); and a
 * server-side verification run of the whole log ({@link AuditVerification}, also {@code POST /api/v1/audit/verifications}).
 *
 * <p>Security guarantees: the pages call the same components as the API under the same permission; every text from
 * an entry is escaped before the page gets it and printed through {@code th:text}; filter fields are parsed into typed
 * values (a malformed one is a 400 page naming the field) and the paging links are built from those values only.
 */
@Controller
class AuditConsoleController {
    static final String AUDIT = "/console/audit";
    static final String VERIFICATION = AUDIT + "/verification";

    private final AuditBrowser browser;
    private final AuditLogReader reader;
    private final LogStore store;
    private final CheckpointPublisher checkpoints;
    private final AuditVerification verification;

    AuditConsoleController(AuditBrowser browser, AuditLogReader reader, LogStore store, CheckpointPublisher checkpoints,
            AuditVerification verification) {
        this.browser = browser;
        this.reader = reader;
        this.store = store;
        this.checkpoints = checkpoints;
        this.verification = verification;
    }

    @GetMapping(AUDIT)
    @RequiresPermission(Permission.AUDIT_READ)
    String list(@RequestParam(name = "type", required = false) String type, @RequestParam(name = "actor", required = false) String actor,
            @RequestParam(name = "from", required = false) String from, @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "before", required = false) String before, Model model, HttpServletResponse response) {
        model.addAttribute("types", Arrays.stream(AuditEventType.values()).map(AuditEventType::code).toList());
        model.addAttribute("checkpoint", store.latestCheckpoint().map(LogStore.StoredCheckpoint::size).orElse(null));
        AuditBrowser.Filter filter;
        try {
            filter = AuditBrowser.Filter.parse(type, actor, from, to, before);
        } catch (ProblemException invalid) {
            response.setStatus(invalid.type().status().value());
            model.addAttribute("error", invalid.getMessage());
            model.addAttribute("filter", new FormValues("", "", "", ""));
            model.addAttribute("page", null);
            return "console/audit";
        }
        AuditBrowser.Page page = browser.page(filter);
        model.addAttribute("filter", FormValues.of(filter));
        model.addAttribute("page", page);
        model.addAttribute("filtered", filter.any());
        model.addAttribute("next", page.next().isPresent() ? link(filter, page.next()) : null);
        model.addAttribute("newest", filter.before().isPresent() ? link(filter, OptionalLong.empty()) : null);
        return "console/audit";
    }

    /** The filter as the form shows it again: normalized values only, never the raw text a link carried. */
    record FormValues(String type, String actor, String from, String to) {
        static FormValues of(AuditBrowser.Filter filter) {
            return new FormValues(filter.type().map(AuditEventType::code).orElse(""),
                    filter.actor().map(actor -> switch (actor) {
                        case AuditBrowser.OperatorActor operator -> operator.id().toString();
                        case AuditBrowser.ApiKeyActor key -> key.keyId();
                    }).orElse(""),
                    filter.from().map(Object::toString).orElse(""), filter.to().map(Object::toString).orElse(""));
        }
    }

    private static String link(AuditBrowser.Filter filter, OptionalLong before) {
        FormValues values = FormValues.of(filter);
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(AUDIT);
        if (!values.type().isEmpty()) {
            uri.queryParam("type", values.type());
        }
        if (!values.actor().isEmpty()) {
            uri.queryParam("actor", values.actor());
        }
        if (!values.from().isEmpty()) {
            uri.queryParam("from", values.from());
        }
        if (!values.to().isEmpty()) {
            uri.queryParam("to", values.to());
        }
        before.ifPresent(index -> uri.queryParam("before", index));
        return uri.encode().build().toUriString();
    }

    /**
     * The inclusion proof of an entry in the latest checkpoint, as hashes in base64, and whether it leads from the
     * entry's stored leaf hash to the checkpoint's signed root (computed here with core's RFC 9162 verification).
     */
    record Inclusion(long size, List<String> proof, boolean verified) {
    }

    @GetMapping(AUDIT + "/entries/{index}")
    @RequiresPermission(Permission.AUDIT_READ)
    String entry(@PathVariable("index") long index, Model model) {
        AuditBrowser.Shown shown = browser.entry(index).orElseThrow(() -> new ProblemException(AuditProblems.BEYOND_LOG,
                "there is no entry " + index + " (the log has " + store.size() + ")"));
        Base64.Encoder base64 = Base64.getEncoder();
        byte[] leaf = store.entries(index, index + 1).getFirst().leafHash();
        Optional<LogStore.StoredCheckpoint> checkpoint = store.latestCheckpoint();
        model.addAttribute("entry", shown);
        model.addAttribute("leafHash", leaf == null ? "" : base64.encodeToString(leaf));
        model.addAttribute("checkpoint", checkpoint.orElse(null));
        model.addAttribute("rootHash", checkpoint.map(c -> base64.encodeToString(c.rootHash())).orElse(null));
        model.addAttribute("inclusion", checkpoint.filter(c -> index < c.size()).map(c -> {
            AuditLogReader.Inclusion proof = reader.inclusion(index, c.size());
            return new Inclusion(c.size(), proof.proof().stream().map(base64::encodeToString).toList(),
                    MerkleProofs.verifyInclusion(index, c.size(), proof.leafHash(), proof.proof(), c.rootHash()));
        }).orElse(null));
        return "console/audit-entry";
    }

    /** Publishes a checkpoint of the whole log now, then back to the entry that needed it (or the list). */
    @PostMapping(AUDIT + "/checkpoints")
    @RequiresPermission(Permission.AUDIT_READ)
    String publish(@RequestParam(name = "entry", required = false) Long entry) {
        checkpoints.publishNow();
        return "redirect:" + (entry != null && entry >= 0 ? AUDIT + "/entries/" + entry : AUDIT);
    }

    @GetMapping(VERIFICATION)
    @RequiresPermission(Permission.AUDIT_READ)
    String verificationPage(Model model) {
        model.addAttribute("result", null);
        return "console/audit-verification";
    }

    /** Runs the verification and shows its result on the page (a run is quick to repeat; nothing is stored). */
    @PostMapping(VERIFICATION)
    @RequiresPermission(Permission.AUDIT_READ)
    String verify(Model model, HttpServletResponse response) {
        try {
            model.addAttribute("result", verification.run());
        } catch (ProblemException refused) {
            response.setStatus(refused.type().status().value());
            model.addAttribute("result", null);
            model.addAttribute("error", refused.getMessage());
        }
        return "console/audit-verification";
    }
}
