package dev.capsule.server.privacy.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.access.Permission;
import dev.capsule.server.access.RequiresPermission;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.PrivacyRequest;
import dev.capsule.server.privacy.PrivacyRequestId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Data-subject requests for operators ({@code privacy.manage}): file one for a person (who then confirms it signed in
 * to the shell), list them with their deadlines, read one and an erasure's certificate (docs/privacy.md). A request is
 * kept in the database of the person's region; the list merges every region's, and one is found by id in whichever
 * region holds it; each shows its region.
 *
 * <p>Security guarantees: an operator never sees a person's data through this API (the export goes to the person
 * alone) nor their id once filed (requests name them by pseudonym); filing is refused to API keys; every filing is
 * audited with the operator as actor.
 */
@RestController
@Tag(name = "Privacy")
class PrivacyController {
    static final String PATH = "/api/v1/privacy/requests";
    /** Most requests in one page. */
    static final int PAGE_MAX = 100;

    private final RequestService requests;

    PrivacyController(RequestService requests) {
        this.requests = requests;
    }

    /** The body of a filing: what the person asks for and who they are (the super-app's account id). */
    record Filing(String kind, String user) {
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    @Operation(summary = "File an export or erasure request for a person; it waits for them to confirm it in the shell")
    RequestView file(@RequestBody Filing filing) {
        return RequestView.of(requests.fileFor(operator(), subject(filing.user()), kind(filing.kind())), Instant.now());
    }

    @GetMapping(path = PATH, produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    @Operation(summary = "Requests of every region, newest first, at most " + PAGE_MAX + "; the next page with before = the last id")
    List<RequestView> list(@RequestParam(name = "before", required = false) String before) {
        Instant now = Instant.now();
        return requests.page(before == null ? Optional.empty() : Optional.of(id(before)), PAGE_MAX).stream()
                .map(r -> RequestView.of(r, now)).toList();
    }

    @GetMapping(path = PATH + "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @RequiresPermission(Permission.PRIVACY_MANAGE)
    @Operation(summary = "One request, with its erasure certificate when it has one")
    Map<String, Object> one(@PathVariable("id") String id) {
        RegionalRequest request = requests.find(id(id)).orElseThrow(() -> notFound());
        return requests.certificate(request)
                .<Map<String, Object>>map(c -> Map.of("request", RequestView.of(request, Instant.now()), "certificate", c))
                .orElseGet(() -> Map.of("request", RequestView.of(request, Instant.now())));
    }

    static OperatorId operator() {
        if (Caller.current() instanceof Caller.Operator operator && operator.operatorId().isPresent()) {
            return operator.operatorId().get();
        }
        throw new ProblemException(PrivacyProblems.OPERATOR_ONLY, "File the request signed in to the console, so that it is recorded as yours.");
    }

    static DataSubject subject(String user) {
        try {
            return new DataSubject(user == null ? "" : user);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.VALIDATION, "user: " + e.getMessage());
        }
    }

    static PrivacyRequest.RequestKind kind(String kind) {
        if ("export".equals(kind) || "erasure".equals(kind)) {
            return PrivacyRequest.RequestKind.valueOf(kind.toUpperCase(Locale.ROOT));
        }
        throw new ProblemException(ProblemType.VALIDATION, "kind must be export or erasure");
    }

    static PrivacyRequestId id(String text) {
        return PrivacyRequestId.parse(text).orElseThrow(() -> notFound());
    }

    static ProblemException notFound() {
        return new ProblemException(ProblemType.NOT_FOUND, "No data-subject request has this id.");
    }
}
