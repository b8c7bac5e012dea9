package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.crypto.SecretAccess;
import dev.capsule.core.crypto.SigningKey;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.ExampleRun;
import dev.capsule.testing.server.TestDirectories;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The signing examples of docs/payments.md (examples/merchant/) run as a merchant would run them, as separate
 * processes against the real server: Java with capsule-core's signer, JavaScript with Node's node:crypto. Without
 * Java's source launcher or Node the test fails; it never skips.
 */
@CapsuleServerTest
class MerchantExamplesTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("capsule.repo.root", "..")).resolve("examples/merchant");
    private static final String CONTENT = "{\"amount\":4200,\"currency\":\"JPY\",\"description\":\"tea\"}";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    TestHttps https;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;
    @Autowired
    ServerCertificate certificate;

    @Test
    void theJavaExampleSignsWithEd25519AndHmacAndTheServerAcceptsBoth() throws Exception {
        TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Java Example Shop");
        List<String> java = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), EXAMPLES.resolve("MerchantClient.java").toString());

        assertAccepted(run(java, "POST", merchant.ed25519Key().value(), ed25519Pem(merchant), CONTENT), merchant, CONTENT);
        assertAccepted(run(java, "GET", merchant.hmacKey().value(), hmacSecret(merchant), null), merchant, "");
    }

    @Test
    void theNodeExampleSignsWithEd25519AndHmacAndTheServerAcceptsBothButNotAKeyOfTheOtherAlgorithm() throws Exception {
        TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Node Example Shop");
        List<String> node = List.of("node", EXAMPLES.resolve("merchant-client.mjs").toString());

        assertAccepted(run(node, "POST", merchant.ed25519Key().value(), ed25519Pem(merchant), CONTENT), merchant, CONTENT);
        assertAccepted(run(node, "POST", merchant.hmacKey().value(), hmacSecret(merchant), CONTENT), merchant, CONTENT);
        ExampleRun wrongKey = run(node, "POST", merchant.hmacKey().value(), ed25519Pem(merchant), CONTENT);
        assertThat(wrongKey.exit()).as(wrongKey.output()).isEqualTo(1);
        assertThat(wrongKey.output()).contains("403", SignatureProblems.ALGORITHM_MISMATCH.slug());
    }

    private static void assertAccepted(ExampleRun run, TestMerchant merchant, String content) {
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).startsWith("200").contains(merchant.id().value());
        String body = run.output().substring(run.output().indexOf('\n') + 1);
        assertThat(JSON.readTree(body).get("content").asString()).isEqualTo(content);
    }

    private static Path ed25519Pem(TestMerchant merchant) throws Exception {
        return write("ed25519.pem", SigningKey.fromSeed(merchant.ed25519Private()).toPem(SecretAccess.grant()));
    }

    private static Path hmacSecret(TestMerchant merchant) throws IOException {
        return write("hmac.secret", Base64.getEncoder().encodeToString(merchant.hmacSecret()));
    }

    private static Path write(String name, String text) throws IOException {
        Path file = TestDirectories.create("merchant-keys").resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private ExampleRun run(List<String> command, String method, String keyId, Path keyFile, String content) throws Exception {
        List<String> full = new ArrayList<>(command);
        full.addAll(List.of(method, https.uri("/merchant/v1/test/echo").toString(), keyId, keyFile.toString()));
        if (content != null) {
            full.add(content);
        }
        return ExampleRun.run(null, full, certificate.certificatePem());
    }
}
