package dev.capsule.runtime.net;

import static dev.capsule.runtime.net.NetAssertions.assertFailure;
import static dev.capsule.runtime.net.NetAssertions.assertResponse;
import static dev.capsule.runtime.net.NetAssertions.await;
import static dev.capsule.runtime.net.NetAssertions.ip;
import static dev.capsule.runtime.net.TestNetwork.API_HOST;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.manifest.HostName;
import dev.capsule.runtime.net.NetAssertions.ScriptedResolver;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every address a name resolves to is checked before connecting, with production's policy, and
 * the connection goes to exactly the checked address.
 */
class AddressCheckTest {
    private static final List<HostName> API = TestNetwork.allowlist(API_HOST);
    private final TestNetwork network = TestNetwork.start();

    @AfterEach
    void stop() {
        network.close();
    }

    private GuardedHttpClient productionPolicyClient(Resolver resolver) {
        return network.client(NetLimits.DEFAULTS, resolver, PublicAddressPolicy.INSTANCE);
    }

    static Stream<InetAddress> internalAddresses() throws UnknownHostException {
        return Stream.of(ip("127.0.0.1"), ip("10.1.2.3"), ip("169.254.169.254"), ip("100.64.0.1"), ip("fd00::1"),
                ip("192.168.1.1"), ip("172.16.0.1"), ip("0.0.0.0"), ip("::1"), ip("fe80::1"),
                // The JDK parses '::ffff:127.0.0.1' to an Inet4Address; a resolver may hand over the IPv6 form.
                Inet6Address.getByAddress(null, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1}, -1));
    }

    @ParameterizedTest
    @MethodSource("internalAddresses")
    void refusesANameThatResolvesToAnInternalAddress(InetAddress address) {
        GuardedHttpClient client = productionPolicyClient(ScriptedResolver.always(address));

        HttpOutcome.Failure failure = assertFailure(await(client.send(HttpRequestSpec.get(network.url("/")), API)), FailureKind.ADDRESS_BLOCKED);

        assertThat(failure.message()).contains(API_HOST).doesNotContain(address.getHostAddress());
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void refusesWhenAnyOfSeveralAddressesIsInternal() {
        // 127.0.0.1 is admitted by this policy (standing in for a public address); 10.0.0.1 is not.
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS,
                ScriptedResolver.always(TestNetwork.SERVER_ADDRESS, ip("10.0.0.1")), TestNetwork.loopbackServerPolicy());

        assertFailure(await(client.send(HttpRequestSpec.get(network.url("/")), API)), FailureKind.ADDRESS_BLOCKED);
        assertThat(network.requestCount()).isZero();
    }

    @Test
    void resolvesOnceAndConnectsToTheCheckedAddressDespiteRebinding() {
        // A rebinding DNS server: first a "public" answer (the test server, admitted by this
        // policy), then the cloud metadata address. The client must ask once and connect to the
        // first answer; if it asked again, it would get 169.254.169.254.
        network.respond("/", 200, "text/plain", "ok");
        ScriptedResolver rebinding = ScriptedResolver.rebinding(TestNetwork.SERVER_ADDRESS, ip("169.254.169.254"));
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS, rebinding, TestNetwork.loopbackServerPolicy());

        assertResponse(await(client.send(HttpRequestSpec.get(network.url("/")), API)), 200);

        assertThat(rebinding.lookups()).isEqualTo(1);
        assertThat(network.requestCount()).isEqualTo(1);
    }

    @Test
    void checksTheAddressAgainOnEachRedirectHop() {
        network.handle("/start", exchange -> {
            exchange.getResponseHeaders().set("Location", "/next");
            exchange.sendResponseHeaders(302, -1);
        });
        network.respond("/next", 200, "text/plain", "ok");
        ScriptedResolver rebinding = ScriptedResolver.rebinding(TestNetwork.SERVER_ADDRESS, ip("10.0.0.7"));
        GuardedHttpClient client = network.client(NetLimits.DEFAULTS, rebinding, TestNetwork.loopbackServerPolicy());

        assertFailure(await(client.send(HttpRequestSpec.get(network.url("/start")), API)), FailureKind.ADDRESS_BLOCKED);

        assertThat(rebinding.lookups()).isEqualTo(2);
        assertThat(network.requests()).extracting(TestNetwork.RecordedRequest::pathAndQuery).containsExactly("/start");
    }

    @Test
    void reportsANameThatDoesNotResolve() {
        Resolver nothing = (host, timeout) -> {
            throw new UnknownHostException(host);
        };

        assertFailure(await(productionPolicyClient(nothing).send(HttpRequestSpec.get(network.url("/")), API)), FailureKind.DNS_FAILED);
    }

    @Test
    void reportsAnEmptyAnswer() {
        Resolver empty = (host, timeout) -> List.of();

        assertFailure(await(productionPolicyClient(empty).send(HttpRequestSpec.get(network.url("/")), API)), FailureKind.DNS_FAILED);
    }

    @Test
    void testPolicyAdmitsOnlyTheServerAddress() {
        AddressPolicy policy = TestNetwork.loopbackServerPolicy();

        assertThat(policy.blockReason(TestNetwork.SERVER_ADDRESS)).isEmpty();
        assertThat(policy.blockReason(ip("127.0.0.2"))).isPresent();
        assertThat(policy.blockReason(ip("::1"))).isPresent();
        assertThat(PublicAddressPolicy.INSTANCE.blockReason(TestNetwork.SERVER_ADDRESS)).isEqualTo(Optional.of("loopback"));
    }
}
