package dev.capsule.server.payments.internal.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.access.Role;
import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * {@code /console/merchants} over real HTTPS as signed-in operators post its forms: register for a verified
 * organisation's free mini-program, generate an HMAC secret shown on the answer only, revoke, disable; a reader
 * ({@code payments.read}) sees the pages without forms and is refused a change as a console page; names are printed
 * escaped.
 */
@CapsuleServerTest
class MerchantConsoleTest {
    private static final Pattern MERCHANT_LOCATION = Pattern.compile("/console/merchants/(mch_[a-z2-7]{26})\\?outcome=registered");

    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    MerchantDirectory directory;

    SignedInOperators.Session admin;
    MerchantFixture api;

    @BeforeEach
    void setUp() {
        admin = new SignedInOperators(context, https).signIn("console-pay-admin", Role.PLATFORM_ADMIN);
        api = new MerchantFixture(https, admin);
    }

    @Test
    void anAdminRegistersAMerchantGeneratesASecretShownOnceRevokesItAndDisablesTheMerchant() {
        MerchantFixture.Organisation org = api.organisation(true, 1);
        String app = org.apps().getFirst();
        HttpResponse<String> list = https.get("/console/merchants", admin.headers());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("data-organisation-id=\"" + org.id() + "\"").contains(app);

        HttpResponse<String> registered = form("/console/merchants", admin, "organisation", org.id(), "apps", app);
        assertThat(registered.statusCode()).as(registered.body()).isEqualTo(302);
        Matcher location = MERCHANT_LOCATION.matcher(registered.headers().firstValue("Location").orElseThrow());
        assertThat(location.find()).isTrue();
        MerchantId id = new MerchantId(location.group(1));
        assertThat(directory.merchant(id)).hasValueSatisfying(m -> assertThat(m.verifiedName()).isEqualTo(org.name()));
        HttpResponse<String> page = https.get("/console/merchants/" + id + "?outcome=registered", admin.headers());
        assertThat(page.body()).contains(org.name()).contains("id=\"generate-hmac-key\"").contains("Registered.");
        assertThat(https.get("/console/merchants", admin.headers()).body()).doesNotContain("data-organisation-id=\"" + org.id() + "\"");

        HttpResponse<String> generated = form("/console/merchants/" + id + "/keys/hmac-sha256", admin);
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String secret = text(generated.body(), "secret");
        String keyId = text(generated.body(), "key-id");
        assertThat(java.util.Base64.getDecoder().decode(secret)).hasSize(Merchants.HMAC_SECRET_BYTES);
        assertThat(generated.headers().firstValue("Cache-Control")).hasValueSatisfying(value -> assertThat(value).contains("no-store"));
        assertThat(https.get("/console/merchants/" + id, admin.headers()).body()).contains(keyId).doesNotContain(secret);

        assertThat(form("/console/merchants/" + id + "/keys/" + keyId + "/revoke", admin).statusCode()).isEqualTo(302);
        assertThat(directory.activeKeys(id)).isEmpty();
        assertThat(form("/console/merchants/" + id + "/disable", admin).statusCode()).isEqualTo(302);
        assertThat(directory.merchant(id)).hasValueSatisfying(m -> assertThat(m.enabled()).isFalse());
        assertThat(https.get("/console/merchants/" + id, admin.headers()).body()).contains("id=\"enable\"");
    }

    @Test
    void aReaderSeesThePagesWithoutFormsAndIsRefusedAChangeAsAConsolePage() {
        MerchantId id = api.merchant();
        SignedInOperators.Session support = new SignedInOperators(context, https).signIn("console-pay-support", Role.SUPPORT);
        HttpResponse<String> list = https.get("/console/merchants", support.headers());
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains(id.value()).doesNotContain("id=\"register\"");
        HttpResponse<String> page = https.get("/console/merchants/" + id, support.headers());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).doesNotContain("id=\"disable\"").doesNotContain("id=\"generate-hmac-key\"");

        HttpResponse<String> refused = form("/console/merchants/" + id + "/disable", support);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        assertThat(directory.merchant(id)).hasValueSatisfying(m -> assertThat(m.enabled()).isTrue());

        SignedInOperators.Session reviewer = new SignedInOperators(context, https).signIn("console-pay-reviewer", Role.REVIEWER);
        assertThat(https.get("/console/merchants", reviewer.headers()).statusCode()).isEqualTo(403);
    }

    @Test
    void anOrganisationNameWithMarkupIsPrintedAsText() {
        String name = "<b id=\"injected\">Acme</b> & Co " + System.nanoTime();
        HttpResponse<String> created = api.post("/api/v1/organisations", "{\"legalName\": " + MerchantFixture.quote(name)
                + ", \"contact\": \"pay@example.com\"}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String org = TestHttps.json(created).get("id").asString();
        String app = "com.markup" + System.nanoTime() + ".app";
        assertThat(api.post("/api/v1/organisations/" + org + "/mini-programs", "{\"appId\": \"" + app + "\"}", admin).statusCode())
                .isEqualTo(200);
        assertThat(api.post("/api/v1/organisations/" + org + "/verify", "", admin).statusCode()).isEqualTo(200);
        HttpResponse<String> merchant = api.post("/api/v1/merchants", MerchantFixture.register(org, List.of(app)), admin);
        String id = TestHttps.json(merchant).get("id").asString();

        for (String path : List.of("/console/merchants", "/console/merchants/" + id)) {
            String body = https.get(path, admin.headers()).body();
            assertThat(body).as(path).doesNotContain("<b id=\"injected\">").contains("&lt;b id=&quot;injected&quot;&gt;Acme&lt;/b&gt; &amp; Co");
        }
    }

    private HttpResponse<String> form(String path, SignedInOperators.Session session, String... fields) {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < fields.length; i += 2) {
            body.append(body.isEmpty() ? "" : "&").append(URLEncoder.encode(fields[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(fields[i + 1], StandardCharsets.UTF_8));
        }
        return https.send(https.request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).headers(session.headers()).build());
    }

    private static String text(String html, String id) {
        Matcher matcher = Pattern.compile("id=\"" + id + "\"[^>]*>([^<]+)<").matcher(html);
        assertThat(matcher.find()).as(id).isTrue();
        return matcher.group(1);
    }
}
