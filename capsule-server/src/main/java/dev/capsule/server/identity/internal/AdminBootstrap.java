package dev.capsule.server.identity.internal;

import dev.capsule.core.auth.password.PasswordCheck;
import dev.capsule.server.access.Role;
import dev.capsule.server.access.OperatorId;
import dev.capsule.server.audit.AuditEventType;
import org.springframework.context.ApplicationEventPublisher;
import dev.capsule.server.audit.SecurityEvent;
import dev.capsule.server.platform.FirstStartNotice;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The first operator: on the first start against an empty operators table, {@value #ADMIN_USERNAME}
 * (platform-admin) with a random one-time password, printed once in the first-start notice, or the
 * password in {@code CAPSULE_ADMIN_PASSWORD} (then not printed). Either way it must be changed, and MFA
 * enrolled, at the first sign-in. (That every node has the installation's keys is checked by the keys
 * module at start.)
 *
 * <p>Security guarantees: exactly one admin is created however many nodes start at once (an advisory
 * lock around "no operator yet"); the one-time password appears only in the notice of the node that
 * created it and nowhere else (not in the audit trail or other log lines).
 */
@Component
class AdminBootstrap implements FirstStartNotice {
    static final String ADMIN_USERNAME = "admin";
    private static final Logger log = LoggerFactory.getLogger("capsule");

    private final OperatorStore store;
    private final Passwords passwords;
    private final ApplicationEventPublisher audit;
    private final Environment environment;
    private final Clock clock;
    private final String configuredPassword;
    private volatile boolean createdHere;

    AdminBootstrap(OperatorStore store, Passwords passwords, ApplicationEventPublisher audit, Environment environment, IdentityClock clock,
            @Value("${capsule.admin-password:}") String configuredPassword) {
        this.store = store;
        this.passwords = passwords;
        this.audit = audit;
        this.environment = environment;
        this.clock = clock.clock();
        this.configuredPassword = configuredPassword == null || configuredPassword.isEmpty() ? null : configuredPassword;
        if (this.configuredPassword != null
                && passwords.check(this.configuredPassword, ADMIN_USERNAME) instanceof PasswordCheck.Rejected rejected) {
            throw new IllegalStateException("CAPSULE_ADMIN_PASSWORD is not acceptable: " + rejected.message());
        }
    }

    /** Called by the platform on the installation's first start only. */
    @Override
    public List<String> lines() {
        return describe(createIfNone());
    }

    /** A database set up before operators existed gets its admin at the next start (printed the same way). */
    @EventListener(ApplicationReadyEvent.class)
    @Order(Ordered.LOWEST_PRECEDENCE)
    void ensureAnOperator() {
        Optional<Optional<String>> created = createIfNone();
        if (created.isPresent()) {
            describe(created).forEach(log::info);
        }
    }

    /** Whether this node created the first admin. */
    boolean createdHere() {
        return createdHere;
    }

    /** Empty if operators existed; else the created admin's printable one-time password (empty if configured). */
    private Optional<Optional<String>> createIfNone() {
        String password = configuredPassword != null ? configuredPassword : passwords.oneTimePassword();
        UUID id = UUID.randomUUID();
        boolean created = store.ifNoOperators(() -> {
            if (!store.insert(id, ADMIN_USERNAME, passwords.hash(password), Set.of(Role.PLATFORM_ADMIN), clock.instant())) {
                throw new IllegalStateException("could not create the first operator");
            }
        });
        if (!created) {
            return Optional.empty();
        }
        createdHere = true;
        audit.publishEvent(SecurityEvent.success(AuditEventType.OPERATOR_BOOTSTRAP, null, OperatorId.of(id), null));
        return Optional.of(configuredPassword != null ? Optional.empty() : Optional.of(password));
    }

    private List<String> describe(Optional<Optional<String>> created) {
        String signIn = "https://localhost:" + environment.getProperty("local.server.port", "8443") + ConsolePaths.SIGN_IN;
        if (created.isEmpty()) {
            return List.of("Signing in: operator accounts exist already; sign in at " + signIn + ".");
        }
        String how = created.get()
                .map(password -> "with this one-time password (shown only now): " + password)
                .orElse("with the password from CAPSULE_ADMIN_PASSWORD (not shown)");
        return List.of(
                "Signing in: created the operator '" + ADMIN_USERNAME + "' (platform-admin) " + how,
                "Sign in at " + signIn + " (or POST /api/v1/auth/sign-in); you must change the password and enrol",
                "an authenticator app (TOTP) before anything else. See docs/operators.md.");
    }
}
