package dev.capsule.server.payments.internal.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.keys.DataPurpose;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.server.payments.MerchantKeyId;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code /api/v1/merchants} over real HTTPS and PostgreSQL, with organisations made through the registry's own API:
 * registration only for a verified organisation and its own mini-programs (verified name from the registry), Ed25519
 * keys (one merchant, once), generated HMAC secrets (shown once, stored sealed), revocation and disabling as the
 * {@link MerchantDirectory} sees them at once, read and manage permissions, and the audit entry of every change and
 * every refusal. (Step-up on the granting endpoints is proved for every such endpoint by {@code StepUpWalkerTest}.)
 */
@CapsuleServerTest
class MerchantApiTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MerchantDirectory directory;
    @Autowired
    FieldEncryption encryption;

    SignedInOperators.Session admin;
    MerchantFixture fixture;

    @BeforeEach
    void setUp() {
        admin = new SignedInOperators(context, https).signIn("pay-admin", Role.PLATFORM_ADMIN);
        fixture = new MerchantFixture(https, admin);
    }

    @Test
    void aMerchantIsRegisteredForAVerifiedOrganisationsOwnAppsUnderItsVerifiedNameAndAudited() {
        MerchantFixture.Organisation org = organisation(true, 2);
        HttpResponse<String> created = post("/api/v1/merchants", register(org.id(), org.apps()), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode merchant = TestHttps.json(created);
        String id = merchant.get("id").asString();
        assertThat(created.headers().firstValue("Location")).hasValue("/api/v1/merchants/" + id);
        assertThat(merchant.get("verifiedName").asString()).isEqualTo(org.name());
        assertThat(merchant.get("organisation").asString()).isEqualTo(org.id());
        assertThat(merchant.get("enabled").asBoolean()).isTrue();
        assertThat(merchant.get("apps").valueStream().map(JsonNode::asString).toList()).containsExactlyElementsOf(org.apps());

        Merchant stored = directory.merchant(new MerchantId(id)).orElseThrow();
        assertThat(stored.verifiedName()).isEqualTo(org.name());
        assertThat(stored.apps()).extracting(Object::toString).containsExactlyInAnyOrderElementsOf(org.apps());
        assertThat(AuditEvents.where(jdbc, e -> id.equals(AuditEvents.text(e, "merchant"))))
                .extracting(e -> AuditEvents.line(e, " ", "type", "outcome", "actor"))
                .containsExactly("merchant.register success " + admin.operatorId());
    }

    @Test
    void registrationIsRefusedForAnUnverifiedOrUnknownOrganisationAnotherOrganisationsAppOrAnAppWithAMerchantAndEachRefusalIsAudited() {
        MerchantFixture.Organisation unverified = organisation(false, 1);
        MerchantFixture.Organisation verified = organisation(true, 1);
        MerchantFixture.Organisation other = organisation(true, 1);
        assertProblem(post("/api/v1/merchants", register(unverified.id(), unverified.apps()), admin), 409,
                MerchantProblems.ORGANISATION_NOT_VERIFIED.slug());
        assertProblem(post("/api/v1/merchants", register(java.util.UUID.randomUUID().toString(), verified.apps()), admin), 409,
                MerchantProblems.ORGANISATION_NOT_VERIFIED.slug());
        assertProblem(post("/api/v1/merchants", register(verified.id(), other.apps()), admin), 409,
                MerchantProblems.APP_NOT_THE_ORGANISATIONS.slug());
        assertThat(post("/api/v1/merchants", register(verified.id(), verified.apps()), admin).statusCode()).isEqualTo(201);
        assertProblem(post("/api/v1/merchants", register(verified.id(), verified.apps()), admin), 409, MerchantProblems.APP_TAKEN.slug());
        assertProblem(post("/api/v1/merchants", register(verified.id(), List.of()), admin), 400, ProblemType.VALIDATION.slug());
        assertProblem(post("/api/v1/merchants", register(verified.id(), List.of("Not An App")), admin), 400, ProblemType.VALIDATION.slug());
        assertProblem(post("/api/v1/merchants", register("not-a-uuid", verified.apps()), admin), 400, ProblemType.VALIDATION.slug());

        // Every refusal by the registration rules is audited; a body that does not parse (an organisation id that is no
        // UUID) is refused before it, like any malformed request.
        assertThat(AuditEvents.where(jdbc, e -> "merchant.register".equals(AuditEvents.text(e, "type"))
                        && admin.operatorId().toString().equals(AuditEvents.text(e, "actor"))
                        && "denied".equals(AuditEvents.text(e, "outcome"))))
                .extracting(e -> AuditEvents.text(e, "reason"))
                .containsExactly("merchant-organisation-not-verified", "merchant-organisation-not-verified",
                        "merchant-app-not-the-organisations", "merchant-app-taken", "validation", "validation");
    }

    @Test
    void readingNeedsPaymentsReadAndChangingNeedsPaymentsManage() {
        MerchantId id = merchant();
        SignedInOperators.Session support = new SignedInOperators(context, https).signIn("pay-support", Role.SUPPORT);
        SignedInOperators.Session reviewer = new SignedInOperators(context, https).signIn("pay-reviewer", Role.REVIEWER);

        assertThat(get("/api/v1/merchants/" + id, support).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/merchants", support).body()).contains(id.value());
        // Whoever may manage merchants may read them (the console's Merchants link opens for payments.manage).
        assertThat(get("/api/v1/merchants", admin).statusCode()).isEqualTo(200);
        assertProblem(get("/api/v1/merchants", reviewer), 403, ProblemType.FORBIDDEN.slug());
        assertProblem(post("/api/v1/merchants/" + id + "/disable", "", support), 403, ProblemType.FORBIDDEN.slug());
        assertProblem(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", support), 403,
                ProblemType.FORBIDDEN.slug());
        assertProblem(get("/api/v1/merchants/mch_aaaaaaaaaaaaaaaaaaaaaaaaaa", support), 404, ProblemType.NOT_FOUND.slug());
        assertProblem(get("/api/v1/merchants/not-an-id", support), 404, ProblemType.NOT_FOUND.slug());
    }

    @Test
    void anEd25519KeyBelongsToOneMerchantOnceAndARevokedKeyIsGoneAtOnce() {
        MerchantId id = merchant();
        MerchantId other = merchant();
        SigningKey key = SigningKey.generate();
        String body = "{\"algorithm\": \"ed25519\", \"publicKeyPem\": " + quote(key.publicKey().toPem()) + "}";
        HttpResponse<String> added = post("/api/v1/merchants/" + id + "/keys", body, admin);
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        MerchantKeyId keyId = new MerchantKeyId(TestHttps.json(added).get("id").asString());
        assertThat(TestHttps.json(added).get("status").asString()).isEqualTo("active");
        assertThat(directory.key(keyId)).hasValueSatisfying(k -> {
            assertThat(k).isInstanceOf(MerchantKey.Ed25519.class);
            assertThat(((MerchantKey.Ed25519) k).publicKey()).isEqualTo(key.publicKey().raw());
            assertThat(k.merchant()).isEqualTo(id);
        });

        assertProblem(post("/api/v1/merchants/" + id + "/keys", body, admin), 409, MerchantProblems.KEY_EXISTS.slug());
        assertProblem(post("/api/v1/merchants/" + other + "/keys", body, admin), 409, MerchantProblems.KEY_EXISTS.slug());
        assertProblem(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"ed25519\", \"publicKeyPem\": \"not a key\"}", admin),
                400, ProblemType.VALIDATION.slug());
        assertProblem(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"rsa\"}", admin), 400, ProblemType.VALIDATION.slug());

        HttpResponse<String> revoked = post("/api/v1/merchants/" + id + "/keys/" + keyId + "/revoke", "", admin);
        assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
        assertThat(TestHttps.json(revoked).get("status").asString()).isEqualTo("revoked");
        assertThat(directory.key(keyId)).isEmpty();
        assertThat(directory.activeKeys(id)).isEmpty();
        assertProblem(post("/api/v1/merchants/" + id + "/keys/" + keyId + "/revoke", "", admin), 409, MerchantProblems.KEY_REVOKED.slug());
        assertProblem(post("/api/v1/merchants/" + other + "/keys/" + keyId + "/revoke", "", admin), 404, ProblemType.NOT_FOUND.slug());
        assertProblem(post("/api/v1/merchants/" + id + "/keys", body, admin), 409, MerchantProblems.KEY_EXISTS.slug());

        assertThat(AuditEvents.where(jdbc, e -> keyId.value().equals(AuditEvents.text(e, "object"))))
                .extracting(e -> AuditEvents.line(e, " ", "type", "outcome", "merchant", "detail"))
                .containsExactly("merchant-key.add success " + id + " ed25519", "merchant-key.revoke success " + id + " ed25519");
    }

    @Test
    void aGeneratedHmacSecretIsShownOnceStoredOnlySealedAndOpensToTheSameBytes() {
        MerchantId id = merchant();
        HttpResponse<String> generated = post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", admin);
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
        JsonNode body = TestHttps.json(generated);
        String secretText = body.get("secret").asString();
        byte[] secret = Base64.getDecoder().decode(secretText);
        assertThat(secret).hasSize(Merchants.HMAC_SECRET_BYTES);
        MerchantKeyId keyId = new MerchantKeyId(body.get("key").get("id").asString());
        assertThat(body.get("key").get("algorithm").asString()).isEqualTo("hmac-sha256");

        assertThat(directory.key(keyId)).hasValueSatisfying(k ->
                assertThat(((MerchantKey.HmacSha256) k).secret().bytes()).isEqualTo(secret));
        byte[] sealed = jdbc.sql("SELECT secret_sealed FROM payments_merchant_key WHERE key_id = :k").param("k", keyId.value())
                .query(byte[].class).single();
        assertThat(java.util.HexFormat.of().formatHex(sealed)).doesNotContain(java.util.HexFormat.of().formatHex(secret));
        assertThat(encryption.open(DataPurpose.MERCHANT_SECRETS, sealed, MerchantKey.secretPlace(keyId))).isEqualTo(secret);
        // Never again: not in the merchant's view, not in the list.
        assertThat(get("/api/v1/merchants/" + id, admin).body()).doesNotContain(secretText).contains(keyId.value());
        assertThat(get("/api/v1/merchants", admin).body()).doesNotContain(secretText);
        // A PEM is not taken for an HMAC key (the server generates the secret).
        assertProblem(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\", \"publicKeyPem\": \"x\"}", admin),
                400, ProblemType.VALIDATION.slug());
    }

    @Test
    void aDisabledMerchantHasNoUsableKeyUntilReEnabledAndARepeatedStateChangeIsRefused() {
        MerchantId id = merchant();
        HttpResponse<String> generated = post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", admin);
        MerchantKeyId keyId = new MerchantKeyId(TestHttps.json(generated).get("key").get("id").asString());
        assertThat(directory.key(keyId)).isPresent();

        HttpResponse<String> disabled = post("/api/v1/merchants/" + id + "/disable", "", admin);
        assertThat(disabled.statusCode()).as(disabled.body()).isEqualTo(200);
        assertThat(TestHttps.json(disabled).get("enabled").asBoolean()).isFalse();
        assertThat(directory.key(keyId)).isEmpty();
        assertThat(directory.activeKeys(id)).isEmpty();
        assertThat(directory.merchant(id)).hasValueSatisfying(m -> assertThat(m.enabled()).isFalse());
        assertProblem(post("/api/v1/merchants/" + id + "/disable", "", admin), 409, MerchantProblems.STATE_UNCHANGED.slug());

        assertThat(post("/api/v1/merchants/" + id + "/enable", "", admin).statusCode()).isEqualTo(200);
        assertThat(directory.key(keyId)).isPresent();
        assertProblem(post("/api/v1/merchants/" + id + "/enable", "", admin), 409, MerchantProblems.STATE_UNCHANGED.slug());
        assertThat(AuditEvents.where(jdbc, e -> id.value().equals(AuditEvents.text(e, "merchant"))
                        && "merchant.state".equals(AuditEvents.text(e, "type"))))
                .extracting(e -> AuditEvents.line(e, " ", "outcome", "detail", "reason"))
                .containsExactly("success disabled null", "denied null merchant-state-unchanged", "success enabled null",
                        "denied null merchant-state-unchanged");
    }

    @Test
    void aMerchantHasAtMostTheActiveKeysLimitAndRevokingOneMakesRoom() {
        MerchantId id = merchant();
        String first = null;
        for (int i = 0; i < Merchants.ACTIVE_KEYS_MAX; i++) {
            HttpResponse<String> added = post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", admin);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
            first = first == null ? TestHttps.json(added).get("key").get("id").asString() : first;
        }
        assertProblem(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", admin), 409,
                MerchantProblems.LIMIT_REACHED.slug());
        post("/api/v1/merchants/" + id + "/keys/" + first + "/revoke", "", admin);
        assertThat(post("/api/v1/merchants/" + id + "/keys", "{\"algorithm\": \"hmac-sha256\"}", admin).statusCode()).isEqualTo(201);
    }

    MerchantFixture.Organisation organisation(boolean verified, int apps) {
        return fixture.organisation(verified, apps);
    }

    MerchantId merchant() {
        return fixture.merchant();
    }

    static String register(String organisation, List<String> apps) {
        return MerchantFixture.register(organisation, apps);
    }

    HttpResponse<String> post(String path, String json, SignedInOperators.Session session) {
        return fixture.post(path, json, session);
    }

    HttpResponse<String> get(String path, SignedInOperators.Session session) {
        return https.get(path, session.headers());
    }

    static String quote(String text) {
        return MerchantFixture.quote(text);
    }

    static void assertProblem(HttpResponse<String> response, int status, String slug) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(TestHttps.json(response).get("type").asString()).isEqualTo(ProblemType.BASE_URI + slug);
        assertThat(response.body()).doesNotContain("Exception");
    }
}
