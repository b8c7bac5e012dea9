package dev.capsule.cli;

import dev.capsule.core.pkg.AppIdPattern;
import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.TrustedKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The --trust and --require-role options, one definition mixed into verify, run and inspect, so the
 * three read trust the same way.
 *
 * <p>{@code --trust [ROLE=]KEY.pub[:APP_IDS]}: ROLE is developer or platform (absent: any role);
 * APP_IDS is a comma-separated list of {@link AppIdPattern}s ({@code com.example.todo},
 * {@code com.example.*}, or {@code *} for every id, explicitly). A key that may sign as developer
 * must name its app ids; a platform key may omit them (it vouches for every id).
 */
final class TrustOptions {
    static final String SYNTAX = "[ROLE=]KEY.pub[:APP_IDS]";

    @Option(names = "--trust", paramLabel = SYNTAX,
            description = {"A trusted public key (PEM) and the app ids it may sign; repeat for more keys.",
                "developer=dev.pub:com.example.* trusts dev.pub for developer signatures of com.example.<anything>;",
                "APP_IDS is comma-separated: an exact id, a namespace ending in .*, or * for every id (explicit).",
                "platform=platform.pub trusts a platform key (every app id unless narrowed). No role: any role."})
    List<String> trust = new ArrayList<>();

    @Option(names = "--require-role", paramLabel = "ROLE",
            description = {"Also require a signature in this role (developer or platform)",
                "by a key trusted for that role: --trust ROLE=KEY.pub."})
    String requireRole;

    /** Whether any --trust was given. */
    boolean given() {
        return !trust.isEmpty();
    }

    /** The policy the options describe; at least one --trust is needed. */
    TrustPolicy policy() throws CliFailure {
        if (trust.isEmpty()) {
            throw CliFailure.usage("give at least one --trust " + SYNTAX + ", like --trust developer=dev.key.pub:com.example.*");
        }
        List<TrustedKey> keys = new ArrayList<>();
        for (String spec : trust) {
            keys.add(trustedKey(spec));
        }
        TrustPolicy policy;
        try {
            policy = TrustPolicy.of(keys);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--trust: " + e.getMessage() + " (list all of a key's app ids in one --trust, comma-separated)");
        }
        if (requireRole == null) {
            return policy;
        }
        Role required;
        try {
            required = Role.fromId(requireRole);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--require-role: " + e.getMessage());
        }
        try {
            return policy.requiring(required);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--require-role " + required.id() + " needs a key trusted for that role: add --trust "
                    + required.id() + "=KEY.pub");
        }
    }

    /** Parses one --trust value (see the class comment). */
    static TrustedKey trustedKey(String spec) throws CliFailure {
        String rest = spec;
        Role role = null;
        int eq = spec.indexOf('=');
        if (eq > 0 && isRole(spec.substring(0, eq))) {
            role = Role.fromId(spec.substring(0, eq));
            rest = spec.substring(eq + 1);
        }
        // App id patterns never contain ':', so the last one separates them from the key's path.
        int colon = rest.lastIndexOf(':');
        Path keyFile = Path.of(colon < 0 ? rest : rest.substring(0, colon));
        if (colon < 0) {
            if (role == Role.PLATFORM) {
                return TrustedKey.platform(CliIo.readVerifyingKey(keyFile));
            }
            throw CliFailure.usage("--trust " + spec + ": bind the key to the app ids it may sign, like --trust developer="
                    + keyFile + ":com.example.* (or " + keyFile + ":* to trust it for every app id)");
        }
        List<AppIdPattern> appIds = new ArrayList<>();
        try {
            for (String pattern : Arrays.asList(rest.substring(colon + 1).split(",", -1))) {
                appIds.add(AppIdPattern.parse(pattern));
            }
            var key = CliIo.readVerifyingKey(keyFile);
            return role == null ? TrustedKey.anyRole(key, appIds) : TrustedKey.forRole(key, role, appIds);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--trust " + spec + ": " + e.getMessage());
        }
    }

    private static boolean isRole(String text) {
        try {
            Role.fromId(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
