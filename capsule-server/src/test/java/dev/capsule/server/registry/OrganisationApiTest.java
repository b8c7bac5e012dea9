package dev.capsule.server.registry;

import static dev.capsule.server.registry.RegistryFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.server.access.Role;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code /api/v1/organisations} over real HTTPS and PostgreSQL: what operators register (organisations,
 * verification, mini-program ids, keys, members), each audited, and the refusals: an id owned by another
 * organisation, a key registered twice or again after revocation, a key that is not an Ed25519 PEM, blank
 * names, a caller without {@code organisations.manage}.
 */
@CapsuleServerTest
@Import(RegistryTestConfiguration.class)
class OrganisationApiTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    RegistryFixture registry;

    @BeforeEach
    void setUp() {
        registry = new RegistryFixture(https, context);
    }

    @Test
    void anOrganisationIsRegisteredVerifiedAndListedWithItsIdsKeysAndMembersAndEachStepIsAudited() {
        RegistryFixture.Developer developer = registry.developer();
        JsonView organisation = view(https.get("/api/v1/organisations/" + developer.organisationId(), registry.admin.headers()));
        assertThat(organisation.text("verified")).isEqualTo("true");
        assertThat(organisation.body().get("miniPrograms").get(0).asString()).isEqualTo(developer.appId());
        assertThat(organisation.body().get("keys").get(0).get("keyId").asString()).isEqualTo(developer.keyId());
        assertThat(organisation.body().get("keys").get(0).get("status").asString()).isEqualTo("active");
        assertThat(AuditEvents.where(jdbc, e -> AuditEvents.text(e, "detail").startsWith("organisation " + developer.organisationId())))
                .extracting(e -> AuditEvents.text(e, "type"))
                .contains("organisation.register", "organisation.verify", "mini-program.register", "developer-key.add");
        assertProblem(registry.post("/api/v1/organisations/" + developer.organisationId() + "/verify", "", registry.admin.headers()),
                409, RegistryProblems.ALREADY_REGISTERED);
    }

    @Test
    void aMiniProgramIdBelongsToOneOrganisationForGood() {
        RegistryFixture.Developer developer = registry.developer();
        String other = registry.organisation("Other Ltd", true);
        assertProblem(registry.post("/api/v1/organisations/" + other + "/mini-programs", "{\"appId\": \"" + developer.appId() + "\"}",
                registry.admin.headers()), 409, RegistryProblems.ALREADY_REGISTERED);
        assertProblem(registry.post("/api/v1/organisations/" + other + "/mini-programs", "{\"appId\": \"com.example.*\"}",
                registry.admin.headers()), 400, ProblemType.VALIDATION);
    }

    @Test
    void aKeyBelongsToOneOrganisationAndARevokedKeyNeverComesBack() {
        RegistryFixture.Developer developer = registry.developer();
        String other = registry.organisation("Other Key Ltd", true);
        String pem = RegistryFixture.quote(developer.key().publicKey().toPem());
        assertProblem(registry.post("/api/v1/organisations/" + other + "/keys", "{\"publicKeyPem\": " + pem + "}",
                registry.admin.headers()), 409, RegistryProblems.ALREADY_REGISTERED);
        registry.post("/api/v1/organisations/" + developer.organisationId() + "/keys/" + developer.keyId() + "/revoke", "",
                registry.admin.headers());
        assertProblem(registry.post("/api/v1/organisations/" + developer.organisationId() + "/keys", "{\"publicKeyPem\": " + pem + "}",
                registry.admin.headers()), 409, RegistryProblems.ALREADY_REGISTERED);
        assertProblem(registry.post("/api/v1/organisations/" + other + "/keys", "{\"publicKeyPem\": \"not a key\"}",
                registry.admin.headers()), 400, ProblemType.VALIDATION);
        assertThat(registry.addKey(other, SigningKey.generate())).matches("[0-9a-f]{64}");
    }

    @Test
    void blankNamesAndCallersWithoutOrganisationsManageAreRefused() {
        assertProblem(registry.post("/api/v1/organisations", "{\"legalName\": \" \", \"contact\": \"c\"}", registry.admin.headers()),
                400, ProblemType.VALIDATION);
        var reviewer = registry.operators.signIn("org-reviewer", Role.REVIEWER);
        assertProblem(registry.post("/api/v1/organisations", "{\"legalName\": \"X\", \"contact\": \"c\"}", reviewer.headers()),
                403, ProblemType.FORBIDDEN);
        assertProblem(https.get("/api/v1/organisations/" + java.util.UUID.randomUUID(), registry.admin.headers()), 404,
                ProblemType.NOT_FOUND);
    }

    record JsonView(tools.jackson.databind.JsonNode body) {
        String text(String field) {
            return body.get(field).asString();
        }
    }

    private static JsonView view(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonView(TestHttps.json(response));
    }
}
