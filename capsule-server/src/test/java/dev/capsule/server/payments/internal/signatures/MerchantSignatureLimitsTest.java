package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.core.crypto.SigningKey;
import dev.capsule.core.httpsig.Ed25519HttpKey;
import dev.capsule.core.httpsig.MessageSignatures;
import dev.capsule.core.httpsig.SignatureParameters;
import dev.capsule.core.httpsig.SignedRequest;
import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.server.payments.internal.MerchantPrincipal;
import dev.capsule.server.payments.internal.Nonces;
import dev.capsule.server.payments.internal.merchants.MerchantDirectory;
import dev.capsule.server.platform.ProblemType;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The time limits at their edges, with the real merchant directory and nonce store and a fixed clock. */
@CapsuleServerTest
class MerchantSignatureLimitsTest {
    private static final Instant NOW = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    private static final SignedRequest REQUEST = new SignedRequest("GET", URI.create("https://pay.example.test/merchant/v1/x"), Map.of());

    @Autowired
    MerchantDirectory directory;
    @Autowired
    Nonces nonces;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    FieldEncryption encryption;

    TestMerchant merchant;
    MerchantSignatureVerifier verifier;

    @BeforeEach
    void setUp() {
        merchant = TestMerchants.create(jdbc, encryption, "Limits Shop");
        verifier = new MerchantSignatureVerifier(directory, nonces, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private MerchantPrincipal verify(long createdOffset, long windowSeconds) throws Exception {
        Instant created = NOW.plusSeconds(createdOffset);
        SignatureParameters parameters = SignatureParameters.of(List.of("@method", "@target-uri"), created,
                created.plusSeconds(windowSeconds), UUID.randomUUID().toString(), null, merchant.ed25519Key().value());
        MessageSignatures.Headers headers = MessageSignatures.sign(REQUEST, "sig1", parameters,
                new Ed25519HttpKey.Signing(SigningKey.fromSeed(merchant.ed25519Private())));
        return verifier.verify(REQUEST, headers.signatureInput(), headers.signature(), new byte[0]);
    }

    private void assertRefused(long createdOffset, long windowSeconds, ProblemType type) {
        assertThatThrownBy(() -> verify(createdOffset, windowSeconds))
                .isInstanceOfSatisfying(SignatureRefusal.class, refusal -> assertThat(refusal.type()).isEqualTo(type));
    }

    @Test
    void createdMayLeadTheClockBy300SecondsNotMore() throws Exception {
        assertThat(verify(300, 60).merchant()).isEqualTo(merchant.id());
        assertRefused(301, 60, SignatureProblems.NOT_YET_VALID);
    }

    @Test
    void expiresMayTrailTheClockByLessThan300Seconds() throws Exception {
        assertThat(verify(-599, 300).merchant()).isEqualTo(merchant.id());
        assertRefused(-600, 300, SignatureProblems.EXPIRED);
    }

    @Test
    void theWindowIsPositiveAndAtMost300Seconds() throws Exception {
        assertThat(verify(0, 300).key()).isEqualTo(merchant.ed25519Key());
        assertRefused(0, 301, SignatureProblems.WINDOW_INVALID);
        assertRefused(0, 0, SignatureProblems.WINDOW_INVALID);
        assertRefused(0, -5, SignatureProblems.WINDOW_INVALID);
    }
}
