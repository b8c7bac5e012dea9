package dev.capsule.testing.server;

import dev.capsule.server.registry.MiniProgramId;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Registry rows for tests that need a mini-program id the registry knows, without a package (a fresh organisation each). */
public final class TestMiniPrograms {
    private TestMiniPrograms() {
    }

    /** Registers {@code app} under a new, unverified organisation and returns its id. */
    public static MiniProgramId register(JdbcClient jdbc, String app) {
        UUID organisation = UUID.randomUUID();
        jdbc.sql("""
                INSERT INTO registry_organisation (organisation_id, legal_name, contact, verified, created_by, created_at)
                VALUES (:o, 'Test Mini-Programs Ltd', 'dpo@example.com', false, 'test', now())""").param("o", organisation).update();
        jdbc.sql("INSERT INTO registry_mini_program (app_id, organisation_id, created_by, created_at) VALUES (:a, :o, 'test', now())")
                .param("a", app).param("o", organisation).update();
        return MiniProgramId.of(app);
    }
}
