package dev.capsule.runtime.internal;

import tools.jackson.databind.JsonNode;

/** wx.login: a one-time code from the host's identity provider; the user id itself never reaches the guest. */
final class IdentityApis {
    private IdentityApis() {}

    static ApiOutcome login(ApiContext s, JsonNode args) {
        String code = s.hostCall(() -> s.services().identity().orElseThrow().loginCode(s.manifest().id(), s.userId()));
        s.audit("wx.login", "issued", "login code");
        return new ApiOutcome.Ok(Json.object().put("code", code));
    }
}
