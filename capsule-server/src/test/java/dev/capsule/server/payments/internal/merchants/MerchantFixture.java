package dev.capsule.server.payments.internal.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.identity.internal.SignedInOperators;
import dev.capsule.server.payments.MerchantId;
import dev.capsule.testing.server.TestHttps;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** The merchant tests' world: organisations made through the registry's own API by an admin, merchants through ours. */
final class MerchantFixture {
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final TestHttps https;
    private final SignedInOperators.Session admin;

    MerchantFixture(TestHttps https, SignedInOperators.Session admin) {
        this.https = https;
        this.admin = admin;
    }

    record Organisation(String id, String name, List<String> apps) {
    }

    /** A new organisation with {@code apps} mini-program ids, verified or not. */
    Organisation organisation(boolean verified, int apps) {
        int n = NAMES.incrementAndGet();
        long unique = System.nanoTime();
        String name = "Merchant Org " + n + " " + unique + " Ltd";
        HttpResponse<String> created = post("/api/v1/organisations",
                "{\"legalName\": \"" + name + "\", \"contact\": \"pay@example.com\"}", admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String id = TestHttps.json(created).get("id").asString();
        List<String> appIds = new ArrayList<>();
        for (int i = 0; i < apps; i++) {
            String app = "com.merchant" + n + "x" + unique + ".app" + i;
            HttpResponse<String> added = post("/api/v1/organisations/" + id + "/mini-programs", "{\"appId\": \"" + app + "\"}", admin);
            assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
            appIds.add(app);
        }
        if (verified) {
            HttpResponse<String> verify = post("/api/v1/organisations/" + id + "/verify", "", admin);
            assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
        }
        return new Organisation(id, name, appIds);
    }

    /** A merchant registered through the API for a new verified organisation's one mini-program. */
    MerchantId merchant() {
        Organisation org = organisation(true, 1);
        HttpResponse<String> created = post("/api/v1/merchants", register(org.id(), org.apps()), admin);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return new MerchantId(TestHttps.json(created).get("id").asString());
    }

    static String register(String organisation, List<String> apps) {
        return "{\"organisation\": \"" + organisation + "\", \"apps\": ["
                + String.join(", ", apps.stream().map(MerchantFixture::quote).toList()) + "]}";
    }

    HttpResponse<String> post(String path, String json, SignedInOperators.Session session) {
        return https.send(https.request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).headers(session.headers()).build());
    }

    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
