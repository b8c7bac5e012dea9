package dev.capsule.server.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.server.platform.internal.StartupReport;
import dev.capsule.testing.server.TwoNodes;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two server nodes on one database: both serve, both see the same data, one first start between them. */
class TwoNodeTest {

    @Test
    void twoNodesShareOneDatabase() {
        try (TwoNodes nodes = TwoNodes.start()) {
            assertThat(nodes.first().https().get("/api/v1/health").statusCode()).isEqualTo(200);
            assertThat(nodes.second().https().get("/api/v1/health").statusCode()).isEqualTo(200);

            UUID seenByFirst = nodes.first().jdbc().sql("SELECT installation_id FROM server_installation").query(UUID.class).single();
            UUID seenBySecond = nodes.second().jdbc().sql("SELECT installation_id FROM server_installation").query(UUID.class).single();
            assertThat(seenBySecond).isEqualTo(seenByFirst);

            nodes.first().jdbc().sql("CREATE TABLE shared_probe (node text)").update();
            nodes.first().jdbc().sql("INSERT INTO shared_probe VALUES ('first')").update();
            assertThat(nodes.second().jdbc().sql("SELECT node FROM shared_probe").query(String.class).single()).isEqualTo("first");

            boolean firstStarted = nodes.first().context().getBean(StartupReport.class).firstStart();
            boolean secondStarted = nodes.second().context().getBean(StartupReport.class).firstStart();
            assertThat(firstStarted ^ secondStarted).as("exactly one node records the installation").isTrue();
        }
    }
}
