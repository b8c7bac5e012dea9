package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The preview runs unsigned code: it starts only for one developer on their own machine. */
class PreviewConfigurationTest {
    @Test
    void startsOnLoopbackWithDemoUsers() {
        assertThatCode(() -> PreviewConfiguration.refuseUnlessLocal(settings(true), "127.0.0.1")).doesNotThrowAnyException();
        assertThatCode(() -> PreviewConfiguration.refuseUnlessLocal(settings(true), "::1")).doesNotThrowAnyException();
    }

    @Test
    void refusesEveryInterfaceAnotherAddressOrNoDemoUsers() {
        assertThatThrownBy(() -> PreviewConfiguration.refuseUnlessLocal(settings(true), ""))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback address only");
        assertThatThrownBy(() -> PreviewConfiguration.refuseUnlessLocal(settings(true), "0.0.0.0"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback address only");
        assertThatThrownBy(() -> PreviewConfiguration.refuseUnlessLocal(settings(true), "192.0.2.10"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("loopback address only");
        assertThatThrownBy(() -> PreviewConfiguration.refuseUnlessLocal(settings(false), "127.0.0.1"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("demo-users=true");
    }

    private static HostSettings settings(boolean demoUsers) {
        return new HostSettings("in-process", 1, 16, 3, 300, 20, 40, 120, 65536, 300, 3600, demoUsers, Path.of("/tmp/x"), "'none'");
    }
}
