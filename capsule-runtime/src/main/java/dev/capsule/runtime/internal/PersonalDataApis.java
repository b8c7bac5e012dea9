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

    static ApiOutcome getUserProfile(ApiContext s, JsonNode args) {
        String desc = Json.text(args, "desc");
        if (desc == null || desc.isBlank()) {
            return ApiOutcome.fail("parameter error: desc is required");
        }
        // As in WeChat, the profile is asked for every time, never remembered.
        String denial = Consent.check(s, "scope.userInfo", true);
        if (denial != null) {
            return ApiOutcome.denied(denial);
        }
        Optional<PersonalDataProvider.UserProfile> profile = s.hostCall(() -> s.services().personalData().userProfile(s.manifest().id(), s.userId()));
        s.audit("wx.getUserProfile", profile.isPresent() ? "read" : "unavailable", "scope.userInfo");
        if (profile.isEmpty()) {
            return ApiOutcome.fail("user profile unavailable");
        }
        ObjectNode result = Json.object();
        result.putObject("userInfo").put("nickName", profile.get().nickName()).put("avatarUrl", profile.get().avatarUrl());
        return new ApiOutcome.Ok(result);
    }
}
