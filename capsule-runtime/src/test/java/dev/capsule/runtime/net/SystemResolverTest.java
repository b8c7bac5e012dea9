package dev.capsule.runtime.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SystemResolverTest {
    @Test
    void resolvesThroughThePlatformResolver() throws Exception {
        // 'localhost' comes from the hosts file, so this needs no network. (The URL check never
        // lets 'localhost' through; this only shows the resolver's plumbing.)
        try (SystemResolver resolver = new SystemResolver()) {
            assertThat(resolver.resolve("localhost", Duration.ofSeconds(5))).isNotEmpty().allMatch(InetAddress::isLoopbackAddress);
        }
    }
}
