package dev.capsule.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket client's guard on its own: one checked lookup per connection (no rebinding), TLS names, refusals. */
class GuardedSocketClientTest {
    private static TestNetwork network;

    @BeforeAll
    static void start() {
        network = TestNetwork.start();
    }

    @AfterAll
    static void stop() {
        network.close();
    }

    /** What a connection came to: "open", or the refusal's kind and message. */
    private static String connect(GuardedSocketClient client, String url, String... allowlist) throws Exception {
        CompletableFuture<String> outcome = new CompletableFuture<>();
        client.connect(new SocketRequestSpec(url, null, null), TestNetwork.allowlist(allowlist), new SocketListener() {
            @Override
            public void opened(GuardedSocket socket) {
                outcome.complete("open");
                socket.close(1000, "");
            }

            @Override
            public void refused(FailureKind kind, String message) {
                outcome.complete(kind + " " + message);
            }

            @Override
            public void text(String message) {}

            @Override
            public void binary(byte[] message) {}

            @Override
            public void error(String message) {}

            @Override
            public void closed(int code, String reason) {}
        });
        return outcome.get(20, TimeUnit.SECONDS);
    }

    @Test
    void theAddressCheckedIsTheAddressConnectedToWithOneLookupSoRebindingCannotSwapIt() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        Resolver rebinding = (host, timeout) -> lookups.incrementAndGet() == 1
                ? List.of(TestNetwork.SERVER_ADDRESS) : List.of(InetAddress.ofLiteral("10.0.0.9"));
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS, rebinding, TestNetwork.loopbackServerPolicy());
        network.sockets(); // started before, so its port is known
        assertThat(connect(client.sockets(), "wss://api.example.com/echo", TestNetwork.API_HOST)).isEqualTo("open");
        assertThat(lookups).hasValue(1);
    }

    @Test
    void aPrivateAnswerIsRefusedBeforeAnyConnection() throws Exception {
        int before = network.sockets().upgrades().size();
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS, (host, timeout) -> List.of(InetAddress.ofLiteral("192.168.1.1")),
                TestNetwork.loopbackServerPolicy());
        assertThat(connect(client.sockets(), "wss://api.example.com/echo", TestNetwork.API_HOST))
                .isEqualTo("ADDRESS_BLOCKED api.example.com resolves to an address that is not public (private network)");
        assertThat(network.sockets().upgrades()).hasSize(before);
    }

    @Test
    void aCertificateThatDoesNotNameTheHostFailsTls() throws Exception {
        assertThat(connect(network.client().sockets(), "wss://uncertified.example.com/echo", TestNetwork.UNCERTIFIED_HOST)).startsWith("TLS_FAILED ");
    }

    @Test
    void onlyWssToAnExactAllowlistEntry() throws Exception {
        GuardedSocketClient sockets = network.client().sockets();
        assertThat(connect(sockets, "https://api.example.com/echo", TestNetwork.API_HOST)).isEqualTo("SCHEME_NOT_ALLOWED only wss URLs are allowed, not https:");
        assertThat(connect(sockets, "wss://api.example.com:8443/echo", TestNetwork.API_HOST))
                .isEqualTo("HOST_NOT_ALLOWED 'api.example.com:8443' is not in network.connectSocket");
        assertThat(connect(sockets, "wss://127.0.0.1/echo", TestNetwork.API_HOST)).startsWith("HOST_NOT_ALLOWED ");
    }
}
