package dev.capsule.testing.server;

import dev.capsule.server.platform.RegionId;
import java.util.Map;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * {@link TestServerInitializer} plus a second region: the home region {@link #HOME} keeps its database in
 * {@code capsule.db.url}, and region {@link #EU} gets a fresh database of its own in {@link SharedPostgres}
 * ({@code capsule.regions.eu.url}, {@link #EU_URL_PROPERTY}; the URL carries the test database's user and password, so a
 * test can open it with plain JDBC to see what landed there). Use it as
 * {@code @ContextConfiguration(initializers = TwoRegionServerInitializer.class)} beside {@code @SpringBootTest}; every
 * class that does so, with the same other annotations, shares one context.
 */
public class TwoRegionServerInitializer extends TestServerInitializer {
    /** The home region: the platform's own database (the default of {@code capsule.region}). */
    public static final RegionId HOME = new RegionId("local");
    /** The second region. */
    public static final RegionId EU = new RegionId("eu");
    /** The property holding the JDBC URL (with credentials) of {@link #EU}'s database. */
    public static final String EU_URL_PROPERTY = "capsule.regions.eu.url";
    /** The property holding the JDBC URL (with credentials) of the home region's database. */
    public static final String HOME_URL_PROPERTY = "capsule.db.url";
    /** The controller named in the records of processing of this context. */
    public static final String CONTROLLER_NAME = "Two Regions Bank";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        super.initialize(context);
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("capsule-test-regions", Map.of(
                "capsule.region", HOME.value(),
                EU_URL_PROPERTY, SharedPostgres.newDatabase(),
                // The records of processing, which say where each region's data is stored, need a controller.
                "capsule.privacy.controller-name", CONTROLLER_NAME,
                "capsule.privacy.controller-contact", "dpo@two-regions.example")));
    }
}
