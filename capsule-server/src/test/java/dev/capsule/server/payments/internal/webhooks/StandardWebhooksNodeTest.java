package dev.capsule.server.payments.internal.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.capsule.runtime.net.GuardedHttpClient;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The outside-client proof: webhooks delivered over HTTPS by the real delivery code are verified by a receiver a
 * merchant would write, in Node with the Standard Webhooks reference library ({@code standardwebhooks} from npm,
 * installed by this test into a directory of its own). Fails (never skips) without Node or npm.
 */
@CapsuleServerTest
class StandardWebhooksNodeTest {
    /** The reference library's version this test pins. */
    static final String LIBRARY = "standardwebhooks@1.3.0";
    private static final Duration PROCESS_GUARD = Duration.ofMinutes(2);

    @Autowired JdbcClient jdbc;
    @Autowired FieldEncryption encryption;
    @Autowired TransactionTemplate transactions;
    @Autowired JsonMapper json;
    @Autowired WebhookOutbox outbox;
    @Autowired WebhookEndpoints endpoints;

    @Test
    void deliveredWebhooksVerifyWithTheStandardWebhooksLibraryInNodeDuringARotationAndAWrongSecretFails() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "webhooks-node").toAbsolutePath());
        run(dir, "node", "--version");
        run(dir, "npm", "install", "--no-audit", "--no-fund", "--no-save", "--prefix", dir.toString(), LIBRARY);
        try (InputStream script = getClass().getResourceAsStream("/webhooks/receiver.js")) {
            Files.write(dir.resolve("receiver.js"), script.readAllBytes());
        }
        // The documented library-free check, run as published (docs/payments.md points at this file).
        Files.copy(Path.of("..", "examples", "webhooks", "verify.js"), dir.resolve("verify.js"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        WebhookReceiverTls tls = new WebhookReceiverTls();
        tls.writePem(dir.resolve("cert.pem"), dir.resolve("key.pem"));

        TestMerchants.TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Node Receiver Shop");
        List<String> events = List.of("payment_intent.succeeded");
        WebhookEndpoints.Created current = endpoints.create(merchant.id(), "https://" + WebhookReceiverTls.HOST + "/current", events, Optional.empty());
        WebhookEndpoints.Created rotating = endpoints.create(merchant.id(), "https://" + WebhookReceiverTls.HOST + "/rotated", events, Optional.empty());
        WebhookEndpoints.Created wrong = endpoints.create(merchant.id(), "https://" + WebhookReceiverTls.HOST + "/wrong", events, Optional.empty());
        WebhookEndpoints.Created rotated = endpoints.rotate(merchant.id(), rotating.endpoint().id(), Duration.ofHours(1), Optional.empty());
        assertThat(rotated.secret()).isNotEqualTo(rotating.secret());

        Map<String, Map<String, String>> secrets = new HashMap<>();
        secrets.put("/current", Map.of("secret", current.secret(), "publicKey", current.publicKey()));
        // The receiver still holds the previous secret and public key: the rotation's overlap must cover them.
        secrets.put("/rotated", Map.of("secret", rotating.secret(), "publicKey", rotating.publicKey()));
        WebhookSigningKey stranger = WebhookSigningKey.generate();
        secrets.put("/wrong", Map.of("secret", stranger.serializedSecret(), "publicKey", stranger.serializedPublicKey()));
        Files.writeString(dir.resolve("secrets.json"), json.writeValueAsString(secrets));

        Process node = new ProcessBuilder("node", "receiver.js", "cert.pem", "key.pem", "secrets.json")
                .directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            int port = line(lines).get("listening").asInt();
            String messageId = transactions.execute(status -> outbox.enqueue(merchant.id(), "payment_intent.succeeded",
                    json.createObjectNode().put("id", "pi_test").put("object", "payment_intent").put("status", "succeeded")));
            try (GuardedHttpClient client = tls.client(port)) {
                WebhookDeliveries deliveries = new WebhookDeliveries(jdbc, transactions, endpoints, client, Clock.systemUTC(), new Random(7));
                assertThat(deliveries.deliverDue()).isGreaterThanOrEqualTo(3);
            }
            Map<String, JsonNode> byPath = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                JsonNode result = line(lines);
                byPath.put(result.get("path").asString(), result);
            }
            assertThat(byPath.get("/current").get("verified").asBoolean()).as(byPath.get("/current").toString()).isTrue();
            assertThat(byPath.get("/current").get("type").asString()).isEqualTo("payment_intent.succeeded");
            assertThat(byPath.get("/current").get("id").asString()).isEqualTo(messageId);
            assertThat(byPath.get("/rotated").get("verified").asBoolean()).as(byPath.get("/rotated").toString()).isTrue();
            assertThat(byPath.get("/rotated").get("signatures").asInt()).as("v1 and v1a for the new and the previous key").isEqualTo(4);
            assertThat(byPath.get("/wrong").get("verified").asBoolean()).as("the library does check: another secret fails").isFalse();
            for (String path : List.of("/current", "/rotated")) {
                assertThat(byPath.get(path).get("manualV1").asBoolean()).as("examples/webhooks/verify.js, v1, " + path).isTrue();
                assertThat(byPath.get(path).get("manualV1a").asBoolean()).as("examples/webhooks/verify.js, v1a, " + path).isTrue();
            }
            assertThat(byPath.get("/wrong").get("manualV1").asBoolean()).isFalse();
            assertThat(byPath.get("/wrong").get("manualV1a").asBoolean()).isFalse();
        } finally {
            node.destroy();
            node.waitFor(PROCESS_GUARD.toSeconds(), TimeUnit.SECONDS);
        }
        assertThat(status(current)).isEqualTo("succeeded");
        assertThat(status(rotating)).isEqualTo("succeeded");
        assertThat(status(wrong)).as("a 400 from the receiver is a failed attempt, retried later").isEqualTo("pending");
        assertThat(jdbc.sql("SELECT http_status FROM payments_webhook_attempt WHERE endpoint_id = :ep").param("ep", wrong.endpoint().id().value())
                .query(Integer.class).single()).isEqualTo(400);
        endpoints.disable(merchant.id(), wrong.endpoint().id(), "merchant", Optional.empty());
    }

    private String status(WebhookEndpoints.Created endpoint) {
        return jdbc.sql("SELECT status FROM payments_webhook_delivery WHERE endpoint_id = :ep").param("ep", endpoint.endpoint().id().value())
                .query(String.class).single();
    }

    private JsonNode line(BufferedReader lines) throws Exception {
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                return lines.readLine();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(PROCESS_GUARD.toSeconds(), TimeUnit.SECONDS);
        if (line == null) {
            fail("the Node receiver exited early (see its stderr above)");
        }
        return json.readTree(line);
    }

    private static void run(Path dir, String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is required for this test (Node.js with npm); install it: " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(PROCESS_GUARD.toSeconds(), TimeUnit.SECONDS)).as(String.join(" ", command) + " finished").isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
