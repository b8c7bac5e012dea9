package dev.capsule.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ProcessIsolationTest {
    private static final List<dev.capsule.runtime.host.AuditEvent> AUDIT = java.util.Collections.synchronizedList(new ArrayList<>());
    private static Harness harness;

    @BeforeAll
    static void start() {
        harness = Harness.inWorkers(HostServices.defaults().withAudit(AUDIT::add), WorkerLimits.DEFAULTS.withWorkers(6, 2));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void sessionRunsInAWorkerAndUsesHostStorage() {
        long t0 = System.nanoTime();
        try (var run = harness.run(TestApps.page("Page({data:{n:1}, onLoad(){ wx.setStorageSync('k', {a: 1}); this.setData({n: wx.getStorageSync('k').a + 1}); console.log('hi'); }})"))) {
            System.err.println("launch+idle ms " + (System.nanoTime() - t0) / 1_000_000);
            assertThat(run.events().lastData("pages/index/index")).isEqualTo("{\"n\":2}");
            assertThat(run.events().logs()).contains("hi");
            assertThat(run.session().currentRoute()).isEqualTo("pages/index/index");
        }
        for (int i = 0; i < 5; i++) {
            long t1 = System.nanoTime();
            harness.assertHealthy();
            System.err.println("again ms " + (System.nanoTime() - t1) / 1_000_000);
        }
    }
}
