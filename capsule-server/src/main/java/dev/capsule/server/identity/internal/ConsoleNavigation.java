package dev.capsule.server.identity.internal;

import dev.capsule.server.access.Caller;
import dev.capsule.server.access.Permission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The console's navigation (the layout's header reads {@code ${@consoleNavigation.links()}}): every console
 * section, each shown only to an operator who holds a permission that opens it. Showing a link grants
 * nothing: each page declares its own permission, which the access module enforces.
 *
 * <p>Security guarantees: a session that is still onboarding, or a request without an operator session,
 * sees no link at all.
 */
@Component("consoleNavigation")
class ConsoleNavigation {

    /** A console section: its label, its page, and the permissions of which any one opens it (in order of preference). */
    enum Section {
        DASHBOARD("Dashboard", List.of(new Entry("/console/dashboard", Permission.AUDIT_READ))),
        OPERATORS("Operators", List.of(new Entry("/console/operators", Permission.OPERATORS_READ))),
        API_KEYS("API keys", List.of(new Entry("/console/api-keys", Permission.APIKEYS_READ))),
        ORGANISATIONS("Organisations", List.of(new Entry("/console/organisations", Permission.ORGANISATIONS_MANAGE))),
        PACKAGES("Packages", List.of(new Entry("/console/packages", Permission.PACKAGES_READ))),
        RELEASES("Releases", List.of(new Entry("/console/releases", Permission.RELEASES_MANAGE),
                new Entry("/console/releases/kill-switch", Permission.RELEASES_KILLSWITCH))),
        MERCHANTS("Merchants", List.of(new Entry("/console/merchants", Permission.PAYMENTS_READ),
                new Entry("/console/merchants", Permission.PAYMENTS_MANAGE))),
        PAYMENTS("Payments", List.of(new Entry("/console/payments", Permission.PAYMENTS_READ),
                new Entry("/console/payments", Permission.PAYMENTS_MANAGE))),
        LEDGER("Ledger", List.of(new Entry("/console/ledger", Permission.PAYMENTS_READ),
                new Entry("/console/ledger", Permission.PAYMENTS_MANAGE))),
        AUDIT("Audit log", List.of(new Entry("/console/audit", Permission.AUDIT_READ))),
        COMPLIANCE("Compliance", List.of(new Entry("/console/compliance/processing", Permission.AUDIT_READ),
                new Entry("/console/privacy/requests", Permission.PRIVACY_MANAGE))),
        KEYS("Keys", List.of(new Entry("/console/keys", Permission.KEYS_MANAGE))),
        INCIDENTS("Incidents", List.of(new Entry("/console/incidents", Permission.INCIDENTS_MANAGE)));

        private final String label;
        private final List<Entry> entries;

        Section(String label, List<Entry> entries) {
            this.label = label;
            this.entries = entries;
        }

        String label() {
            return label;
        }

        /** The section's first page the permissions open, or null. */
        String pageFor(Set<Permission> held) {
            return entries.stream().filter(entry -> held.contains(entry.permission())).map(Entry::path).findFirst().orElse(null);
        }

        /** Where the section lives: its first page and everything below it. */
        boolean contains(String path) {
            String root = entries.getFirst().path();
            return path.equals(root) || path.startsWith(root + "/");
        }
    }

    record Entry(String path, Permission permission) {
    }

    /** One link of the header: {@code current} marks the section of the page shown. */
    record Link(String label, String href, boolean current) {
    }

    /** The links the current request's operator may follow; none before onboarding is finished (public: the template calls it). */
    public List<Link> links() {
        if (!signedIn()) {
            return List.of();
        }
        Set<Permission> held = Caller.current() instanceof Caller.Operator operator ? operator.permissions() : EnumSet.noneOf(Permission.class);
        String path = currentPath();
        List<Link> links = new ArrayList<>();
        links.add(new Link("Home", ConsolePaths.HOME, path.equals(ConsolePaths.HOME) || path.equals(ConsolePaths.PREFIX)));
        for (Section section : Section.values()) {
            String page = section.pageFor(held);
            if (page != null) {
                links.add(new Link(section.label(), page, section.contains(path)));
            }
        }
        return links;
    }

    /** Whether an operator session that finished onboarding makes this request. */
    boolean signedIn() {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication instanceof OperatorAuthentication operator && operator.getAuthorities().stream()
                .anyMatch(authority -> OperatorAuthentication.SIGNED_IN.equals(authority.getAuthority()));
    }

    private static String currentPath() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request
                ? request.getRequest().getRequestURI() : "";
    }
}
