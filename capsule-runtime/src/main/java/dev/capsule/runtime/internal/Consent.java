package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import java.util.Map;
import java.util.Optional;

/**
 * Personal-data policy: a scope needs BOTH a privacy declaration in capsule.json (naming the API and
 * a purpose) AND the user's consent, asked through the host's prompter and kept in its ledger.
 */
final class Consent {
    /** Scopes Capsule knows, and the API each one guards. */
    static final Map<String, String> SCOPE_API = Map.of("scope.userLocation", "wx.getLocation", "scope.userInfo", "wx.getUserProfile");
    /** The ledger scope recording that the user agreed to the mini-program's privacy declaration. */
    static final String PRIVACY_CONTRACT = "privacy.contract";

    private Consent() {}

    /** The declaration covering {@code api}, if capsule.json has one. */
    static Optional<CapsuleManifest.PrivacyDeclaration> declaration(ApiContext s, String api) {
        return s.manifest().privacy().stream().filter(p -> p.apis().contains(api)).findFirst();
    }

    /**
     * Null if {@code scope} may be used now, else the denial reason. Asks the user (once; the answer
     * is recorded) when there is no decision yet.
     */
    static String check(ApiContext s, String scope, boolean askEveryTime) {
        return check(s, scope, SCOPE_API.get(scope), askEveryTime);
    }

    /** As {@link #check(ApiContext, String, boolean)}, for {@code api}, one of several guarded by {@code scope}. */
    static String check(ApiContext s, String scope, String api, boolean askEveryTime) {
        var declared = declaration(s, api);
        if (declared.isEmpty()) {
            return api + " is not declared in capsule.json privacy";
        }
        String app = s.manifest().id();
        Optional<Boolean> decision = askEveryTime ? Optional.empty() : s.services().consentLedger().decision(app, s.userId(), scope);
        if (decision.isEmpty()) {
            boolean granted = s.hostCall(() -> s.services().consentPrompter().ask(app, s.userId(), scope, declared.get().purpose()));
            s.services().consentLedger().record(app, s.userId(), scope, granted);
            s.audit("consent", granted ? "granted" : "refused", scope);
            decision = Optional.of(granted);
        }
        return decision.get() ? null : "auth deny";
    }
}
