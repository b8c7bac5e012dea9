package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import dev.capsule.server.host.HostEvent;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * The node's session limit and the idle timeout, on a node that may host one session and ends it after 5 s without
 * a browser frame.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=in-process", "capsule.host.sessions-per-node-max=1",
        "capsule.host.idle-seconds=5"})
class HostLimitsTest {
    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired ShellTestBeans.HostEvents hostEvents;
    @Autowired HostedSessions sessions;

    @BeforeAll
    static void todo() {
        ShellTestBeans.DIRECTORIES.put(HostSessionsTest.TODO_EXAMPLE, RepoPaths.example("todo"));
    }

    /** The node may hold one session: no test starts with another test's session still open. */
    @org.junit.jupiter.api.BeforeEach
    void noSessionLeft() {
        sessions.restart(new dev.capsule.server.registry.MiniProgramId(HostSessionsTest.TODO_EXAMPLE), "next test");
        assertThat(sessions.open()).isZero();
    }

    ShellSocket open(String user) {
        return ShellSocket.connect(TestHttps.trusting(certificate.certificatePem()), ports.https(), "/shell/ws/" + HostSessionsTest.TODO_EXAMPLE,
                user, ShellSocket.origin(ports.https()));
    }

    @Test
    void aFullNodeRefusesTheNextSessionAndAnIdleSessionEndsAndFreesItsPlace() throws Exception {
        try (ShellSocket first = open("first-user")) {
            first.next("page");
            try (ShellSocket second = open("second-user")) {
                assertThat(second.next("ended").path("reason").asString())
                        .isEqualTo("This server has as many mini-programs open as it may; try again later.");
            }
            assertThat(hostEvents.of(HostEvent.What.SESSION_REFUSE, new ShellUserId("second-user")))
                    .extracting(e -> e.detail().orElseThrow()).containsExactly("node-limit");
            // No frame from the first browser for idle-seconds: its session ends, the browser is told so.
            assertThat(first.next("ended").path("reason").asString()).isEqualTo("The mini-program was closed after a time without use.");
            assertThat(first.awaitClose()).isEqualTo(1000);
        }
        assertThat(hostEvents.of(HostEvent.What.SESSION_END, new ShellUserId("first-user")))
                .extracting(e -> e.detail().orElseThrow()).containsExactly("idle");
        assertThat(sessions.open()).isZero();
        try (ShellSocket third = open("third-user")) {
            assertThat(third.next("page").path("route").asString()).isEqualTo("pages/index/index");
        }
    }

    @Test
    void aSessionEndsWhenTheShellSessionItWasOpenedUnderExpires() throws Exception {
        try (ShellSocket socket = ShellSocket.connect(TestHttps.trusting(certificate.certificatePem()), ports.https(),
                "/shell/ws/" + HostSessionsTest.TODO_EXAMPLE, "expiring-user", ShellSocket.origin(ports.https()), ShellTestBeans.SECONDS_HEADER, "1")) {
            assertThat(socket.next("ended").path("reason").asString()).isEqualTo("Your sign-in has expired; sign in again to go on.");
        }
        assertThat(hostEvents.of(HostEvent.What.SESSION_END, new ShellUserId("expiring-user")))
                .extracting(e -> e.detail().orElseThrow()).containsExactly("expired");
    }

    @Test
    void restartTellsTheBrowserToReloadAndEndsTheSession() throws Exception {
        try (ShellSocket socket = open("restart-user")) {
            socket.next("page");
            sessions.restart(new dev.capsule.server.registry.MiniProgramId(HostSessionsTest.TODO_EXAMPLE), "rebuilt");
            assertThat(socket.next("reload").path("reason").asString()).isEqualTo("rebuilt");
            assertThat(socket.awaitClose()).isEqualTo(1000);
        }
        assertThat(hostEvents.of(HostEvent.What.SESSION_END, new ShellUserId("restart-user")))
                .extracting(e -> e.detail().orElseThrow()).containsExactly("restarted");
    }
}
