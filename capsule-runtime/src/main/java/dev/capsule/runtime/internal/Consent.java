package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.host.ConsentLedger;
import java.util.Map;
import java.util.Optional;

/**
 * Personal-data policy: a scope needs BOTH a privacy declaration in capsule.json (naming the API and
 * a purpose) AND the user's consent, asked through the host's prompter and kept in its ledger. The ledger is read on
 * every call (nothing is cached here), so a withdrawal in the host's settings holds from the next call.
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

    /** The version of this mini-program's privacy text, which every decision is bound to. */
    static PrivacyDigest privacy(ApiContext s) {
        return PrivacyDigest.of(s.manifest().privacy());
    }

    /** What the ledger's current decision answers for this session's privacy text (empty: ask). */
    static Optional<Boolean> decided(ApiContext s, String scope) {
        return s.services().consentLedger().decision(s.manifest().id(), s.userId(), scope, privacy(s));
    }

    /**
     * Whether the decision was withdrawn in the host's settings: denied without asking, even where WeChat asks every
     * time (a withdrawal's {@link ConsentLedger.Decision#answers} is false already; this is for the calls that ask anyway).
     */
    static boolean withdrawn(Optional<ConsentLedger.Decision> current) {
        return current.filter(d -> d.state() == ConsentLedger.State.WITHDRAWN).isPresent();
    }

    /** The ledger's current decision on {@code scope} for this session's app and user (one read). */
    static Optional<ConsentLedger.Decision> current(ApiContext s, String scope) {
        return s.services().consentLedger().current(s.manifest().id(), s.userId(), scope);
    }

    /** Asks the user about {@code scope} for {@code purpose}, records and audits the answer. */
    static boolean ask(ApiContext s, String scope, String purpose) {
        String app = s.manifest().id();
        boolean granted = s.hostCall(() -> s.services().consentPrompter().ask(app, s.userId(), scope, purpose));
        s.services().consentLedger().record(app, s.userId(), new ConsentLedger.Topic(scope, purpose, privacy(s)), granted);
        s.audit("consent", granted ? "granted" : "refused", scope);
        return granted;
    }

    /**
     * Null if {@code scope} may be used now, else the denial reason. Asks the user (once per privacy text; the answer
     * is recorded) when there is no decision for the current text yet.
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
        Optional<ConsentLedger.Decision> current = current(s, scope);
        if (withdrawn(current)) {
            return "auth deny";
        }
        Optional<Boolean> decision = askEveryTime ? Optional.empty() : current.flatMap(d -> d.answers(privacy(s)));
        boolean granted = decision.isPresent() ? decision.get() : ask(s, scope, declared.get().purpose());
        return granted ? null : "auth deny";
    }
}
