package dev.capsule.server.payments.internal.signatures;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.capsule.server.platform.Purges;
import dev.capsule.testing.server.CapsuleServerTest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

@CapsuleServerTest
class JdbcNoncesTest {
    private static final int RACERS = 16;

    @Autowired
    JdbcNonces nonces;
    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;

    private static String fresh() {
        return "n-" + UUID.randomUUID();
    }

    @Test
    void aLiveNonceIsAcceptedOncePerScope() {
        String nonce = fresh();
        Instant later = Instant.now().plusSeconds(600);

        assertThat(nonces.firstUse("mk_a", nonce, later)).isTrue();
        assertThat(nonces.firstUse("mk_a", nonce, later)).isFalse();
        assertThat(nonces.firstUse("mk_b", nonce, later)).as("another scope").isTrue();
    }

    @Test
    void manyConcurrentUsesOfOneNonceHaveExactlyOneWinner() throws Exception {
        String nonce = fresh();
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Boolean>> uses = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(RACERS)) {
            for (int i = 0; i < RACERS; i++) {
                uses.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return nonces.firstUse("mk_race", nonce, Instant.now().plusSeconds(600));
                }, threads));
            }
            start.countDown();
            assertThat(uses.stream().map(CompletableFuture::join).filter(Boolean::booleanValue).count()).isEqualTo(1);
        }
    }

    @Test
    void anExpiredNonceMayBeUsedAgainAndIsCleanedUpWhileALiveOneStays() {
        String expired = fresh();
        String live = fresh();
        assertThat(nonces.firstUse("mk_exp", expired, Instant.now().minusSeconds(1))).isTrue();
        assertThat(nonces.firstUse("mk_exp", live, Instant.now().plusSeconds(600))).isTrue();

        assertThat(nonces.firstUse("mk_exp", expired, Instant.now().minusSeconds(1))).as("its row had expired").isTrue();
        purges.run("payments.nonces");

        assertThat(jdbc.sql("SELECT nonce FROM payments_nonce WHERE scope = 'mk_exp'").query(String.class).list()).containsExactly(live);
    }

    @Test
    void unboundedOrUnprintableNoncesAreRefused() {
        Instant later = Instant.now().plusSeconds(60);
        assertThatThrownBy(() -> nonces.firstUse("mk_x", "x".repeat(129), later)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nonces.firstUse("mk_x", "a b", later)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> nonces.firstUse("mk_x", "", later)).isInstanceOf(IllegalArgumentException.class);
        assertThat(nonces.firstUse("mk_x", "x".repeat(128), later)).isTrue();
    }
}
