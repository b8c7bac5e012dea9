package dev.capsule.server.registry.internal;

import dev.capsule.server.registry.MiniProgramDirectory;
import dev.capsule.server.registry.MiniProgramId;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link MiniProgramDirectory} over {@code registry_mini_program} (its primary key is the id). */
@Component
class JdbcMiniProgramDirectory implements MiniProgramDirectory {
    private final JdbcClient jdbc;

    JdbcMiniProgramDirectory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<MiniProgramId> ids(Optional<MiniProgramId> after, int limit) {
        if (limit < 1 || limit > PAGE_IDS_MAX) {
            throw new IllegalArgumentException("a page holds 1 to " + PAGE_IDS_MAX + " ids");
        }
        return jdbc.sql("SELECT app_id FROM registry_mini_program WHERE app_id > :after ORDER BY app_id LIMIT :limit")
                .param("after", after.map(MiniProgramId::value).orElse("")).param("limit", limit)
                .query(String.class).list().stream().map(MiniProgramId::of).toList();
    }
}
