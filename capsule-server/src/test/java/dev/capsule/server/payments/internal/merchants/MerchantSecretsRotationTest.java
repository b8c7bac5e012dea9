package dev.capsule.server.payments.internal.merchants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.internal.MerchantSecretsRotations;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import dev.capsule.testing.server.TestMerchants;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A rotation of the {@code merchant-secrets} keys re-encrypts every merchant HMAC secret through
 * {@link MerchantSecretsHolder}, the old key is retired, and each secret still opens to the same bytes: under the new
 * key, since the old one no longer decrypts anything.
 */
@CapsuleServerTest
class MerchantSecretsRotationTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;
    @Autowired
    MerchantDirectory directory;
    @Autowired
    MerchantSecretsHolder holder;

    @Test
    void aRotationResealsEveryMerchantSecretUnderTheNewKeyAndRetiresTheOldOne() throws InterruptedException {
        TestMerchants.TestMerchant merchant = TestMerchants.create(jdbc, encryption, "Rotating Ltd",
                MiniProgramId.of("com.rotating" + System.nanoTime() + ".app"));
        int oldKey = FieldEncryption.keyIdOf(sealed(merchant));
        assertThat(holder.countUnder(oldKey)).isPositive();

        String newKey = MerchantSecretsRotations.rotateAndRetire(context, https);

        assertThat(String.format("%08x", FieldEncryption.keyIdOf(sealed(merchant)))).isEqualTo(newKey);
        assertThat(holder.countUnder(oldKey)).isZero();
        assertThat(directory.key(merchant.hmacKey())).hasValueSatisfying(key ->
                assertThat(((MerchantKey.HmacSha256) key).secret().bytes()).isEqualTo(merchant.hmacSecret()));
    }

    private byte[] sealed(TestMerchants.TestMerchant merchant) {
        return jdbc.sql("SELECT secret_sealed FROM payments_merchant_key WHERE key_id = :k").param("k", merchant.hmacKey().value())
                .query(byte[].class).single();
    }
}
