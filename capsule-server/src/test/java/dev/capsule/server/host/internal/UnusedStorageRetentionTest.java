package dev.capsule.server.host.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.Purges.PurgeRun;
import dev.capsule.server.platform.RetentionCategory;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.testing.server.AuditEvents;
import dev.capsule.testing.server.CapsuleServerTest;
import dev.capsule.testing.server.TestMiniPrograms;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The retention policy of unused mini-program storage on the real schema: an area its user has not opened for the
 * period is erased (records, wrapped keys and its data-subject key), a recently used one and another user's stay, the
 * day of use is written at most once a day, a run is bounded and audited.
 */
@CapsuleServerTest
class UnusedStorageRetentionTest {
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final String PURGE = "host.storage-unused";

    @Autowired
    Purges purges;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    EncryptedStorage storage;
    @Autowired
    StorageUse storageUse;
    @Autowired
    HostPersonalData holder;
    @Autowired
    PairwiseIds pairwise;
    @Autowired
    Residency residency;

    private String used(MiniProgramId app, String user, int daysAgo) throws Exception {
        storage.open(app.value(), user).set("note", "\"kept for " + user + "\"");
        storageUse.used(residency.database(residency.home()), app, user);
        String area = EncryptedStorage.areaName(app.value(), user);
        jdbc.sql("UPDATE host_storage_use SET last_used = current_date - :d WHERE area = :a").param("d", daysAgo).param("a", area).update();
        return area;
    }

    private long blobs(String area) {
        return jdbc.sql("SELECT count(*) FROM host_storage_blobs WHERE area = :a").param("a", area).query(Long.class).single();
    }

    private boolean keyExists(UUID subject) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM keys_subject_keys WHERE subject = :s)").param("s", subject).query(Boolean.class).single();
    }

    @Test
    void anAreaUnusedBeyondThePeriodIsErasedWithItsKeyAndRecentOrOtherUsersAreasStay() throws Exception {
        int run = RUNS.incrementAndGet();
        MiniProgramId app = new MiniProgramId("com.example.retention" + run);
        MiniProgramId other = new MiniProgramId("com.example.retention.other" + run);
        String alice = "alice-" + UUID.randomUUID();
        String bob = "bob-" + UUID.randomUUID();
        String unused = used(app, alice, 367);
        String recent = used(other, alice, 30);
        String bobs = used(app, bob, 0);
        UUID unusedKey = HostStorageConfiguration.areaSubject(app.value(), alice);
        assertThat(blobs(unused)).isEqualTo(2);
        assertThat(keyExists(unusedKey)).isTrue();

        PurgeRun swept = purges.run(PURGE);

        assertThat(swept.deleted()).isGreaterThanOrEqualTo(1);
        assertThat(blobs(unused)).as("its record and wrapped keys").isZero();
        assertThat(keyExists(unusedKey)).as("its data-subject key destroyed").isFalse();
        assertThat(jdbc.sql("SELECT EXISTS (SELECT 1 FROM keys_erased_subjects WHERE subject = :s)").param("s", unusedKey)
                .query(Boolean.class).single()).isTrue();
        assertThat(storage.open(app.value(), alice).get("note")).as("a fresh, empty area when the user returns").isEmpty();
        assertThat(storage.open(other.value(), alice).get("note")).contains("\"kept for " + alice + "\"");
        assertThat(storage.open(app.value(), bob).get("note")).contains("\"kept for " + bob + "\"");
        assertThat(blobs(recent)).isEqualTo(2);
        assertThat(blobs(bobs)).isEqualTo(2);
        assertThat(jdbc.sql("SELECT area FROM host_storage_use WHERE area IN (:a, :r, :b)").param("a", unused).param("r", recent)
                .param("b", bobs).query(String.class).list()).containsExactlyInAnyOrder(recent, bobs);

        List<JsonNode> entries = AuditEvents.where(jdbc, event -> AuditEvents.text(event, "type").equals("retention.sweep")
                && AuditEvents.text(event, "action").equals(PURGE));
        assertThat(entries).isNotEmpty();
        assertThat(AuditEvents.text(entries.getLast(), "detail")).startsWith("category mini-program-storage; deleted ");
        assertThat(AuditEvents.where(jdbc, event -> AuditEvents.text(event, "type").equals("subject-key.erase")
                && AuditEvents.text(event, "subject").equals(unusedKey.toString()))).hasSize(1);
    }

    @Test
    void aDayOfUseIsWrittenOncePerDayAndAnOldOneMovesToToday() {
        MiniProgramId app = new MiniProgramId("com.example.retention.day" + RUNS.incrementAndGet());
        String user = "carol-" + UUID.randomUUID();
        String area = EncryptedStorage.areaName(app.value(), user);

        storageUse.used(residency.database(residency.home()), app, user);
        String first = xmin(area);
        storageUse.used(residency.database(residency.home()), app, user);

        assertThat(xmin(area)).as("no second write on the same day").isEqualTo(first);
        assertThat(jdbc.sql("SELECT subject FROM host_storage_use WHERE area = :a").param("a", area).query(UUID.class).single())
                .isEqualTo(HostStorageConfiguration.areaSubject(app.value(), user));
        jdbc.sql("UPDATE host_storage_use SET last_used = current_date - 10, subject = NULL WHERE area = :a").param("a", area).update();
        storageUse.used(residency.database(residency.home()), app, user);
        assertThat(jdbc.sql("SELECT last_used = current_date AND subject IS NOT NULL FROM host_storage_use WHERE area = :a")
                .param("a", area).query(Boolean.class).single()).isTrue();
    }

    private String xmin(String area) {
        return jdbc.sql("SELECT xmin::text FROM host_storage_use WHERE area = :a").param("a", area).query(String.class).single();
    }

    @Test
    void aRunErasesAtMostItsBoundAndTheRestGoesInLaterRuns() {
        Purge purge = purges.all().stream().filter(p -> p.name().equals(PURGE)).findFirst().orElseThrow();
        assertThat(purge.category()).isEqualTo(RetentionCategory.MINI_PROGRAM_STORAGE);
        assertThat(purge.rowsPerRunMax()).isEqualTo(HostRetention.AREAS_PER_STATEMENT * HostRetention.STORAGE_STATEMENTS_PER_RUN);
        long many = purge.rowsPerRunMax() + 20;
        // Areas from before V107 never used since: no subject, no blobs.
        jdbc.sql("""
                INSERT INTO host_storage_use (area, subject, last_used)
                SELECT encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'), NULL, current_date - 400
                FROM generate_series(1, :n)""").param("n", many).update();

        PurgeRun first = purges.run(PURGE);

        assertThat(first.deleted()).isEqualTo(purge.rowsPerRunMax());
        assertThat(first.caughtUp()).isFalse();
        assertThat(purges.run(PURGE).caughtUp()).isTrue();
        assertThat(jdbc.sql("SELECT count(*) FROM host_storage_use WHERE last_used < current_date - 367").query(Long.class).single()).isZero();
    }

    @Test
    void aPersonsDaysOfUseAreInTheirExportAndGoWithTheirErasure() throws Exception {
        MiniProgramId app = TestMiniPrograms.register(jdbc, "com.example.retention.erasure" + RUNS.incrementAndGet());
        String user = "erin-" + UUID.randomUUID();
        String id = pairwise.runtimeUserId(app, new ShellUserId(user));
        String area = used(app, id, 3);

        assertThat(holder.export(new DataSubject(user)).records()).anySatisfy(record -> assertThat(record)
                .containsEntry("kind", "storage-use").containsEntry("app", app.value()).containsKey("lastUsed"));
        Erasure erasure = holder.erase(new DataSubject(user));

        assertThat(erasure.deleted()).contains(new Erasure.Deleted("host_storage_use", 1));
        assertThat(jdbc.sql("SELECT count(*) FROM host_storage_use WHERE area = :a").param("a", area).query(Long.class).single()).isZero();
    }
}
