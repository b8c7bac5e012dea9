package dev.capsule.cli;

import dev.capsule.core.pkg.Role;
import dev.capsule.core.pkg.TrustPolicy;
import dev.capsule.core.pkg.TrustedKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The --trust [ROLE=]KEY.pub and --require-role options shared by verify and run. */
final class TrustArgs {
    private TrustArgs() {}

    static TrustPolicy policy(List<String> trust, String requireRole) throws CliFailure {
        List<TrustedKey> keys = new ArrayList<>();
        for (String spec : trust) {
            keys.add(trustedKey(spec));
        }
        Role required = null;
        if (requireRole != null) {
            try {
                required = Role.fromId(requireRole);
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("--require-role: " + e.getMessage());
            }
        }
        TrustPolicy policy;
        try {
            policy = TrustPolicy.of(keys);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--trust: " + e.getMessage());
        }
        if (required == null) {
            return policy;
        }
        try {
            return policy.requiring(required);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("--require-role " + required.id() + " needs a key trusted for that role: add --trust "
                    + required.id() + "=KEY.pub");
        }
    }

    /** "KEY.pub" trusts a key for any role; "platform=KEY.pub" only for that role. */
    private static TrustedKey trustedKey(String spec) throws CliFailure {
        int eq = spec.indexOf('=');
        if (eq > 0 && isRole(spec.substring(0, eq))) {
            Role role = Role.fromId(spec.substring(0, eq));
            return TrustedKey.forRole(CliIo.readVerifyingKey(Path.of(spec.substring(eq + 1))), role);
        }
        return TrustedKey.anyRole(CliIo.readVerifyingKey(Path.of(spec)));
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
