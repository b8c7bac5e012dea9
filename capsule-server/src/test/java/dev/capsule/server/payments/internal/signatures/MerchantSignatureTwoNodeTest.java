package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.keys.FieldEncryption;
import dev.capsule.testing.server.TestAuthentication;
import dev.capsule.testing.server.TestMerchants;
import dev.capsule.testing.server.TestMerchants.TestMerchant;
import dev.capsule.testing.server.TwoNodes;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Two nodes behind one public name on one database: a signed request is accepted once, whichever node gets it. */
class MerchantSignatureTwoNodeTest {
    private static final String CONTENT = "{\"amount\":500,\"currency\":\"USD\"}";
    private static final int RACES = 6;

    /** The test-only echo endpoint under /merchant/v1/ (TestAuthentication's fixtures). */
    @Configuration(proxyBeanMethods = false)
    @Import(TestAuthentication.class)
    static class NodeSetup {
    }

    @Test
    void aSignedRequestReplayedToTheOtherNodeOrRacedToBothIsAcceptedOnce() throws Exception {
        try (TwoNodes nodes = TwoNodes.start(NodeSetup.class)) {
            TestMerchant merchant = TestMerchants.create(nodes.first().jdbc(), nodes.first().context().getBean(FieldEncryption.class),
                    "Two Node Shop");

            HttpRequest request = SignedRequests.ed25519(merchant).request("POST", LoadBalancedHttps.PUBLIC_ECHO, CONTENT);
            LoadBalancedHttps.Response first = LoadBalancedHttps.send(nodes.first(), request, CONTENT);
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            assertThat(first.body()).contains(merchant.id().value());
            LoadBalancedHttps.Response replay = LoadBalancedHttps.send(nodes.second(), request, CONTENT);
            assertThat(replay.status()).as(replay.body()).isEqualTo(403);
            assertThat(replay.body()).contains("https://capsule.dev/problems/" + SignatureProblems.NONCE_REUSED.slug());

            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                for (int race = 0; race < RACES; race++) {
                    HttpRequest raced = SignedRequests.hmac(merchant).request("POST", LoadBalancedHttps.PUBLIC_ECHO, CONTENT);
                    CountDownLatch start = new CountDownLatch(1);
                    List<CompletableFuture<LoadBalancedHttps.Response>> answers = new ArrayList<>();
                    for (TwoNodes.Node node : List.of(nodes.first(), nodes.second())) {
                        answers.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                start.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return LoadBalancedHttps.send(node, raced, CONTENT);
                        }, threads));
                    }
                    start.countDown();
                    List<Integer> statuses = answers.stream().map(CompletableFuture::join).map(LoadBalancedHttps.Response::status).sorted().toList();
                    assertThat(statuses).as("race " + race).containsExactly(200, 403);
                }
            }
        }
    }
}
