package dev.capsule.server.registry;

import static dev.capsule.server.registry.RegistryFixture.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestHttps;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Fail closed: on a server where no OSV advisories were ever imported, the supply-chain scan cannot run, so an
 * upload that passes every other rule is refused ({@code review-unavailable}) and nothing is stored. (Its own
 * context: a fresh database in which nothing was imported.)
 */
@CapsuleServerTest
@TestPropertySource(properties = "capsule.test.context=registry-without-advisories")
class UploadWithoutAdvisoriesTest {
    @Autowired
    TestHttps https;
    @Autowired
    ApplicationContext context;
    @Autowired
    JdbcClient jdbc;

    @Test
    void anUploadIsRefusedWhileNoAdvisoriesWereImported() {
        RegistryFixture registry = new RegistryFixture(https, context);
        RegistryFixture.Developer developer = registry.developer();
        assertProblem(registry.upload(RegistryFixture.signed(developer, "1.0.0"), developer.bearer()), 503,
                RegistryProblems.REVIEW_UNAVAILABLE);
        assertThat(jdbc.sql("SELECT count(*) FROM registry_version").query(Long.class).single()).isZero();
    }
}
