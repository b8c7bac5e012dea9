package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.core.testing.RepoPaths;
import dev.capsule.server.platform.internal.ServerCertificate;
import dev.capsule.server.platform.internal.ServerPorts;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The default tier end to end: the session runs in a sandboxed worker process (the runtime's process isolation, on the
 * server's own class path as the test runs it), and the shell gets its page and changes it by events as in-process.
 */
@CapsuleServerTest
@Import(ShellTestBeans.class)
@TestPropertySource(properties = {"capsule.host.isolation=process", "capsule.host.workers-ready=0"})
class HostProcessIsolationTest {
    @Autowired ServerPorts ports;
    @Autowired ServerCertificate certificate;
    @Autowired HostRuntime runtime;

    @Test
    void aSessionInAWorkerProcessRendersAndAnswersEvents() throws Exception {
        ShellTestBeans.DIRECTORIES.put(HostSessionsTest.TODO_EXAMPLE, RepoPaths.example("todo"));
        try (ShellSocket socket = ShellSocket.connect(TestHttps.trusting(certificate.certificatePem()), ports.https(),
                "/shell/ws/" + HostSessionsTest.TODO_EXAMPLE, "worker-user", ShellSocket.origin(ports.https()))) {
            socket.next("open");
            JsonNode page = socket.next("page");
            assertThat(runtime.get().isolation()).isEqualTo(dev.capsule.runtime.Isolation.PROCESS);
            int input = ShellSocket.element(page.path("tree"), "input").path("id").asInt();
            int add = ShellSocket.element(page.path("tree"), "button").path("id").asInt();
            socket.send("{\"t\":\"event\",\"node\":" + input + ",\"type\":\"input\",\"detail\":{\"value\":\"from a worker\",\"cursor\":13}}");
            socket.send("{\"t\":\"event\",\"node\":" + add + ",\"type\":\"tap\",\"detail\":{}}");
            socket.next(f -> f.path("t").asString().equals("ops") && f.toString().contains("from a worker"));
        }
    }
}
