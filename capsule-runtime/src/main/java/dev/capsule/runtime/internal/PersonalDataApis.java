package dev.capsule.runtime.internal;

import dev.capsule.runtime.host.PersonalDataProvider;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Personal data: declaration AND consent first (Consent), then the host's provider; every read is audited. */
final class PersonalDataApis {
    private PersonalDataApis() {}

    static ApiOutcome getLocation(ApiContext s, JsonNode args) {
        String denial = Consent.check(s, "scope.userLocation", false);
        if (denial != null) {
            return ApiOutcome.denied(denial);
        }
        Optional<PersonalDataProvider.Location> location = s.hostCall(() -> s.services().personalData().location(s.manifest().id(), s.userId()));
        s.audit("wx.getLocation", location.isPresent() ? "read" : "unavailable", "scope.userLocation");
        if (location.isEmpty()) {
            return ApiOutcome.fail("location unavailable");
        }
        PersonalDataProvider.Location l = location.get();
        return new ApiOutcome.Ok(Json.object().put("latitude", l.latitude()).put("longitude", l.longitude())
                .put("accuracy", l.accuracy()).put("speed", -1).put("altitude", 0));
    }

    /** WeChat's anonymous nickname (since 2022, what an app gets without the user's profile). */
    static final String ANONYMOUS_NICKNAME = "微信用户";
    /**
     * The default avatar: a grey silhouette as a data: URL, so showing it tells no third party (WeChat's
     * points at its CDN, which would learn each user who looks at the page).
     */
    static final String ANONYMOUS_AVATAR = "data:image/svg+xml;base64,"
            + java.util.Base64.getEncoder().encodeToString(("<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 132 132'>"
                    + "<rect width='132' height='132' fill='#ededed'/><circle cx='66' cy='52' r='24' fill='#c8c8c8'/>"
                    + "<ellipse cx='66' cy='118' rx='44' ry='32' fill='#c8c8c8'/></svg>").getBytes(java.nio.charset.StandardCharsets.UTF_8));

    static ApiOutcome getUserProfile(ApiContext s, JsonNode args) {
        String desc = Json.text(args, "desc");
        if (desc == null || desc.isBlank()) {
            return ApiOutcome.fail("parameter error: desc is required");
        }
        // As in WeChat, the profile is asked for every time, never remembered.
        return profile(s, "wx.getUserProfile", true);
    }

    /** Never prompts (as in WeChat): the real profile only if the user already consented to scope.userInfo. */
    static ApiOutcome getUserInfo(ApiContext s, JsonNode args) {
        return profile(s, "wx.getUserInfo", false);
    }

    /**
     * Spec §3: an undeclared personal-data API is denied. Declared: the user's profile if they consent,
     * otherwise WeChat's anonymous profile (since 2022), which carries nothing about the user.
     */
    private static ApiOutcome profile(ApiContext s, String api, boolean ask) {
        if (Consent.declaration(s, api).isEmpty()) {
            return ApiOutcome.denied(api + " is not declared in capsule.json privacy");
        }
        boolean consented = ask ? Consent.check(s, "scope.userInfo", api, true) == null
                : Consent.decided(s, "scope.userInfo").orElse(false);
        Optional<PersonalDataProvider.UserProfile> profile = consented
                ? s.hostCall(() -> s.services().personalData().userProfile(s.manifest().id(), s.userId()))
                : Optional.empty();
        s.audit(api, profile.isPresent() ? "read" : "anonymous", "scope.userInfo");
        String nickName = profile.map(PersonalDataProvider.UserProfile::nickName).orElse(ANONYMOUS_NICKNAME);
        String avatarUrl = profile.map(PersonalDataProvider.UserProfile::avatarUrl).orElse(ANONYMOUS_AVATAR);
        ObjectNode result = Json.object();
        result.putObject("userInfo").put("nickName", nickName).put("avatarUrl", avatarUrl).put("gender", 0)
                .put("country", "").put("province", "").put("city", "").put("language", "");
        return new ApiOutcome.Ok(result);
    }
}
