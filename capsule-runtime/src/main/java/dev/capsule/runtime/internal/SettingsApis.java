package dev.capsule.runtime.internal;

import dev.capsule.core.manifest.PrivacyDigest;
import dev.capsule.runtime.RuntimeEvent;
import dev.capsule.runtime.host.ConsentLedger;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Authorization settings and the privacy agreement, all backed by the host's consent ledger. */
final class SettingsApis {
    private SettingsApis() {}

    private static ObjectNode authSetting(ApiContext s) {
        ObjectNode result = Json.object();
        ObjectNode auth = result.putObject("authSetting");
        PrivacyDigest privacy = Consent.privacy(s);
        // A decision made under another privacy text is no decision (the user will be asked), so it is not listed.
        for (ConsentLedger.Decision d : s.services().consentLedger().decisions(s.manifest().id(), s.userId()).values()) {
            if (Consent.SCOPE_API.containsKey(d.scope())) {
                d.answers(privacy).ifPresent(granted -> auth.put(d.scope(), granted));
            }
        }
        return result;
    }

    static ApiOutcome getSetting(ApiContext s, JsonNode args) {
        return new ApiOutcome.Ok(authSetting(s));
    }

    static ApiOutcome authorize(ApiContext s, JsonNode args) {
        String scope = Json.text(args, "scope");
        if (scope == null || !Consent.SCOPE_API.containsKey(scope)) {
            return ApiOutcome.fail("invalid scope" + (scope == null ? "" : " " + scope));
        }
        String denial = Consent.check(s, scope, false);
        return denial == null ? new ApiOutcome.Ok(Json.object()) : ApiOutcome.denied(denial);
    }

    /** The host's settings page; headless, the user changes nothing, so it returns the current settings. */
    static ApiOutcome openSetting(ApiContext s, JsonNode args) {
        s.emit(new RuntimeEvent.Ui("openSetting", Json.write(authSetting(s))));
        return new ApiOutcome.Ok(authSetting(s));
    }

    private static boolean needsAgreement(ApiContext s) {
        return needsAgreement(s, Consent.current(s, Consent.PRIVACY_CONTRACT));
    }

    private static boolean needsAgreement(ApiContext s, Optional<ConsentLedger.Decision> agreement) {
        return !s.manifest().privacy().isEmpty() && !agreement.flatMap(d -> d.answers(Consent.privacy(s))).orElse(false);
    }

    static ApiOutcome getPrivacySetting(ApiContext s, JsonNode args) {
        return new ApiOutcome.Ok(Json.object().put("needAuthorization", needsAgreement(s))
                .put("privacyContractName", s.manifest().name() + " privacy declaration"));
    }

    static ApiOutcome requirePrivacyAuthorize(ApiContext s, JsonNode args) {
        Optional<ConsentLedger.Decision> agreement = Consent.current(s, Consent.PRIVACY_CONTRACT);
        if (!needsAgreement(s, agreement)) {
            return new ApiOutcome.Ok(Json.object());
        }
        if (Consent.withdrawn(agreement)) {
            return ApiOutcome.denied("privacy authorization withdrawn in settings");
        }
        String purposes = String.join("; ", s.manifest().privacy().stream().map(p -> p.data() + ": " + p.purpose()).toList());
        boolean agreed = Consent.ask(s, Consent.PRIVACY_CONTRACT, purposes);
        return agreed ? new ApiOutcome.Ok(Json.object()) : ApiOutcome.denied("privacy authorization refused");
    }
}
