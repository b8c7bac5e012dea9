package dev.capsule.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.ProblemType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/**
 * Where a refused console form sends the operator back to (the page of its subject, inside the console), and the
 * one sentence a refusal is shown as.
 */
class ConsoleProblemPagesTest {

    @Test
    void aRefusedFormGoesBackToThePageOfItsSubject() {
        assertThat(back("POST", "/console/operators")).isEqualTo("/console/operators");
        assertThat(back("POST", "/console/operators/alice.b_c/roles")).isEqualTo("/console/operators/alice.b_c");
        assertThat(back("POST", "/console/api-keys/0123456789abcdef/approve")).isEqualTo("/console/api-keys/0123456789abcdef");
        assertThat(back("POST", "/console/organisations/b42908d5-7628-4092-bc0f-80b932fd27b9/keys/" + "a".repeat(64) + "/revoke"))
                .isEqualTo("/console/organisations/b42908d5-7628-4092-bc0f-80b932fd27b9");
    }

    @Test
    void aRefusedPageOrAPathOutsideTheRulesGoesToTheConsoleHome() {
        assertThat(back("GET", "/console/operators")).as("a page that could not be shown").isEqualTo("/console/");
        assertThat(back("POST", "/console/operators/%2e%2e/roles")).as("an encoded segment").isEqualTo("/console/");
        assertThat(back("POST", "/console/Operators/x")).as("not a console path's form").isEqualTo("/console/");
        assertThat(back("POST", "/console/operators/../roles")).isEqualTo("/console/");
        assertThat(ConsolePaths.returnTo("/console/operators/a..b")).as("dots inside a segment are plain characters")
                .isEqualTo("/console/operators/a..b");
        assertThat(ConsolePaths.returnTo("/console/.hidden")).isEqualTo("/console/");
    }

    @Test
    void aProblemIsOneSentenceWithItsFieldErrors() {
        assertThat(new ProblemException(ProblemType.VALIDATION, "1 field is invalid",
                Map.of("errors", List.of(Map.of("field", "appId", "message", "must be an app id")))).sentence())
                .isEqualTo("1 field is invalid: appId must be an app id.");
        assertThat(new ProblemException(ProblemType.FORBIDDEN, "another person must approve API key 0a: you did the first half").sentence())
                .isEqualTo("Another person must approve API key 0a: you did the first half.");
        assertThat(new ProblemException(ProblemType.NOT_FOUND, "there is no API key 0a.").sentence()).isEqualTo("There is no API key 0a.");
    }

    private static String back(String method, String path) {
        return ConsoleProblemPages.back(new MockHttpServletRequest(method, path));
    }
}
