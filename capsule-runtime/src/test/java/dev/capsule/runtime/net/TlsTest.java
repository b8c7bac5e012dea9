package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Certificates are verified against the trust store and the URL's host; only TLS 1.2+ is spoken. */
class TlsTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    @Test
    void rejectsACertificateFromAnUntrustedAuthority() throws NoSuchAlgorithmException {
        // The JDK's own trust store does not know the test CA.
        network.respond("/", 200, "text/plain", "ok");
        GuardedHttpClient client = network.client(SSLContext.getDefault());

        HttpOutcome outcome = await(client.send(HttpRequestSpec.get(network.url("/")), API));

        assertThat(assertFailure(outcome, FailureKind.TLS_FAILED).message()).contains("certificate");
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void rejectsACertificateForAnotherAuthorityEvenIfSelfConsistent() {
        // A second test network has its own CA: this client trusts only the first one's.
        try (TestNetwork other = TestNetwork.start()) {
            GuardedHttpClient client = network.track(new GuardedHttpClient(NetLimits.DEFAULTS, TestNetwork.resolver(),
                    TestNetwork.loopbackServerPolicy(), network.clientTrust(), urlPort -> other.port()));

            assertFailure(await(client.send(HttpRequestSpec.get(other.url("/")), API)), FailureKind.TLS_FAILED);
            assertThat(other.requestCount()).isZero();
        }
    }

    @Test
    void rejectsACertificateThatDoesNotNameTheHost() {
        String url = "https://" + TestNetwork.UNCERTIFIED_HOST + "/";

        HttpOutcome outcome = await(network.client().send(HttpRequestSpec.get(url), TestNetwork.allowlist(TestNetwork.UNCERTIFIED_HOST)));

        assertFailure(outcome, FailureKind.TLS_FAILED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void speaksTls12ToAServerThatHasNothingNewer() {
        try (TestNetwork tls12 = TestNetwork.start("TLSv1.2")) {
            tls12.respond("/", 200, "text/plain", "ok");

            assertResponse(await(tls12.client().send(HttpRequestSpec.get(tls12.url("/")), API)), 200);
        }
    }

    /**
     * The JDK disables TLS 1.1 for servers too, so a real TLS 1.1-only server cannot be started
     * without changing security properties for the whole test JVM. Instead this server answers the
     * ClientHello with a hand-made ServerHello choosing TLS 1.1, which is what such a server does.
     */
    @Test
    void refusesAServerThatOffersOnlyTls11() throws Exception {
        AtomicInteger clientHellos = new AtomicInteger();
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(TestNetwork.SERVER_ADDRESS, 0));
            CompletableFuture.runAsync(() -> answerWithTls11(server, clientHellos));
            GuardedHttpClient client = network.track(new GuardedHttpClient(NetLimits.DEFAULTS, TestNetwork.resolver(),
                    TestNetwork.loopbackServerPolicy(), network.clientTrust(), urlPort -> server.getLocalPort()));

            HttpOutcome outcome = await(client.send(HttpRequestSpec.get(network.url("/")), API));

            assertThat(assertFailure(outcome, FailureKind.TLS_FAILED).message()).contains("TLS 1.2");
            assertThat(clientHellos.get()).isEqualTo(1);
        }
    }

    private static void answerWithTls11(ServerSocket server, AtomicInteger clientHellos) {
        try (Socket socket = server.accept()) {
            InputStream in = socket.getInputStream();
            byte[] header = in.readNBytes(5);
            if (header.length == 5 && header[0] == 0x16) {
                in.readNBytes(((header[3] & 0xff) << 8) | (header[4] & 0xff));
                clientHellos.incrementAndGet();
            }
            OutputStream out = socket.getOutputStream();
            out.write(serverHelloTls11());
            out.flush();
            in.readAllBytes();
        } catch (IOException e) {
            // The client hangs up: expected.
        }
    }

    /** A TLS record holding a ServerHello for version 3.2 (TLS 1.1), TLS_RSA_WITH_AES_128_CBC_SHA, no extensions. */
    private static byte[] serverHelloTls11() {
        byte[] hello = new byte[5 + 4 + 38];
        int i = 0;
        hello[i++] = 0x16; // handshake record
        hello[i++] = 0x03;
        hello[i++] = 0x02; // record version TLS 1.1
        hello[i++] = 0;
        hello[i++] = 42; // record length: 4 + 38
        hello[i++] = 0x02; // ServerHello
        hello[i++] = 0;
        hello[i++] = 0;
        hello[i++] = 38; // handshake length
        hello[i++] = 0x03;
        hello[i++] = 0x02; // server_version TLS 1.1
        i += 32; // random (zeros)
        hello[i++] = 0; // session id length
        hello[i++] = 0x00;
        hello[i++] = 0x2f; // cipher suite
        hello[i] = 0; // compression: null
        return hello;
    }
}
