package dev.capsule.runtime.internal;

import dev.capsule.runtime.RuntimeEvent;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Authorization settings and the privacy agreement, all backed by the host's consent ledger. */
final class SettingsApis {
    private SettingsApis() {}

    private static ObjectNode authSetting(ApiContext s) {
        ObjectNode result = Json.object();
        ObjectNode auth = result.putObject("authSetting");
        for (Map.Entry<String, Boolean> e : s.services().consentLedger().decisions(s.manifest().id(), s.userId()).entrySet()) {
            if (Consent.SCOPE_API.containsKey(e.getKey())) {
                auth.put(e.getKey(), e.getValue());
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
        return !s.manifest().privacy().isEmpty()
                && !s.services().consentLedger().decision(s.manifest().id(), s.userId(), Consent.PRIVACY_CONTRACT).orElse(false);
    }

    static ApiOutcome getPrivacySetting(ApiContext s, JsonNode args) {
        return new ApiOutcome.Ok(Json.object().put("needAuthorization", needsAgreement(s))
                .put("privacyContractName", s.manifest().name() + " privacy declaration"));
    }

    static ApiOutcome requirePrivacyAuthorize(ApiContext s, JsonNode args) {
        if (!needsAgreement(s)) {
            return new ApiOutcome.Ok(Json.object());
        }
        String purposes = String.join("; ", s.manifest().privacy().stream().map(p -> p.data() + ": " + p.purpose()).toList());
        boolean agreed = s.hostCall(() -> s.services().consentPrompter().ask(s.manifest().id(), s.userId(), Consent.PRIVACY_CONTRACT, purposes));
        s.services().consentLedger().record(s.manifest().id(), s.userId(), Consent.PRIVACY_CONTRACT, agreed);
        s.audit("consent", agreed ? "granted" : "refused", Consent.PRIVACY_CONTRACT);
        return agreed ? new ApiOutcome.Ok(Json.object()) : ApiOutcome.denied("privacy authorization refused");
    }
}
