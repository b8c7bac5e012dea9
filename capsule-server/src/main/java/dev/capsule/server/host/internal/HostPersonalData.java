package dev.capsule.server.host.internal;

import dev.capsule.runtime.storage.EncryptedStorage;
import dev.capsule.runtime.storage.StorageArea;
import dev.capsule.runtime.storage.StorageException;
import dev.capsule.server.host.ShellUserId;
import dev.capsule.server.platform.RegionalDatabase;
import dev.capsule.server.privacy.DataSubject;
import dev.capsule.server.privacy.Erasure;
import dev.capsule.server.privacy.HeldData;
import static dev.capsule.server.privacy.HeldData.record;
import dev.capsule.server.privacy.PersonalDataHolder;
import dev.capsule.server.registry.MiniProgramDirectory;
import dev.capsule.server.registry.MiniProgramId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What the host holds about an end user, for data-subject requests: their shell sign-ins (grants and sessions), their
 * consent history and every mini-program's storage of theirs (decrypted for the export), and where their data is placed;
 * all of it in the database of the user's region ({@link Placements}, docs/residency.md).
 *
 * <p>Consent and storage are keyed by the user's pairwise id per mini-program, which cannot be listed; the holder
 * derives it for every mini-program the registry has ever known ({@link MiniProgramDirectory}) and every one the
 * consent history names, at most {@link #APPS_MAX}.
 *
 * <p>Security guarantees: the export holds no token, token hash or CSRF secret; erasure ends the user's sessions on
 * this node first (so nothing writes their storage meanwhile), signs them out everywhere (their shell sessions and
 * unused grants are deleted, so sessions on other nodes cannot resume), deletes their consent history and storage
 * areas, and names each area's data-subject key for destruction, so the area's ciphertext left in backups or in the
 * database's free space never opens again.
 */
@Component
class HostPersonalData implements PersonalDataHolder {
    /** Most mini-programs whose pairwise ids one request derives. */
    static final int APPS_MAX = 100_000;
    /** Pairwise ids looked up in one query. */
    static final int BATCH = 1_000;

    private final Placements placements;
    private final PairwiseIds pairwise;
    private final MiniProgramDirectory directory;
    private final RegionalStorage storages;
    private final SessionHost sessions;

    HostPersonalData(Placements placements, PairwiseIds pairwise, MiniProgramDirectory directory, RegionalStorage storages,
            SessionHost sessions) {
        this.placements = placements;
        this.pairwise = pairwise;
        this.directory = directory;
        this.storages = storages;
        this.sessions = sessions;
    }

    @Override
    public String name() {
        return "host.shell";
    }

    @Override
    public Set<String> tables() {
        return Set.of("host_grants", "host_shell_sessions", "host_consent_events", "host_consent_current", "host_storage_blobs",
                "host_storage_use", "host_privacy_labels", "host_placements");
    }

    /**
     * Sign-ins and the placement name the user in clear (the super-app's id); the tables are small (live sessions,
     * recent grants, one row per user).
     */
    @Override
    public Set<String> rewrittenAfterErasure() {
        return Set.of("host_grants", "host_shell_sessions", "host_placements");
    }

    @Override
    public HeldData export(DataSubject subject) {
        String user = subject.userId();
        RegionalDatabase db = placements.databaseOf(new ShellUserId(user));
        JdbcClient jdbc = db.jdbc();
        List<Map<String, Object>> records = new ArrayList<>();
        records.addAll(jdbc.sql("SELECT placed_at FROM host_placements WHERE user_id = :u").param("u", user)
                .query((rs, n) -> record("placement", "region", db.region().value(), "location", db.location(),
                        "placedAt", rs.getTimestamp(1).toInstant().toString())).list());
        records.addAll(jdbc.sql("""
                SELECT issued_by, issued_at, expires_at, app_id FROM host_grants WHERE user_id = :u ORDER BY issued_at LIMIT :n""")
                .param("u", user).param("n", RECORDS_MAX + 1).query((rs, n) -> record("session-grant",
                        "issuedBy", rs.getString(1), "issuedAt", rs.getTimestamp(2).toInstant().toString(),
                        "expiresAt", rs.getTimestamp(3).toInstant().toString(), "app", rs.getString(4))).list());
        records.addAll(jdbc.sql("""
                SELECT created_at, expires_at, app_id, demo FROM host_shell_sessions WHERE user_id = :u ORDER BY created_at LIMIT :n""")
                .param("u", user).param("n", RECORDS_MAX + 1).query((rs, n) -> record("shell-session",
                        "startedAt", rs.getTimestamp(1).toInstant().toString(), "expiresAt", rs.getTimestamp(2).toInstant().toString(),
                        "app", rs.getString(3), "demo", rs.getBoolean(4))).list());
        for (Place place : footprint(jdbc, new ShellUserId(user))) {
            if (records.size() > RECORDS_MAX) {
                break;
            }
            records.addAll(jdbc.sql("""
                    SELECT scope, decision, purpose, privacy_digest, via, decided_at FROM host_consent_events
                    WHERE app_id = :a AND user_id = :u ORDER BY id LIMIT :n""")
                    .param("a", place.app().value()).param("u", place.pairwiseId()).param("n", RECORDS_MAX + 1)
                    .query((rs, n) -> record("consent", "app", place.app().value(), "scope", rs.getString(1), "decision", rs.getString(2),
                            "purpose", rs.getString(3), "privacyVersion", rs.getString(4), "via", rs.getString(5),
                            "decidedAt", rs.getTimestamp(6).toInstant().toString())).list());
            if (place.storage()) {
                records.addAll(storageRecords(storages.in(db), place.app(), place.pairwiseId()));
            }
            place.lastUsed().ifPresent(day -> records.add(record("storage-use", "app", place.app().value(), "lastUsed", day)));
            records.addAll(jdbc.sql("SELECT privacy_digest, seen_at FROM host_privacy_labels WHERE app_id = :a AND user_id = :u")
                    .param("a", place.app().value()).param("u", place.pairwiseId())
                    .query((rs, n) -> record("privacy-label-seen", "app", place.app().value(), "privacyVersion", rs.getString(1),
                            "seenAt", rs.getTimestamp(2).toInstant().toString())).list());
        }
        return HeldData.of(name(), "Your sign-ins to the shell, your privacy decisions for each mini-program, and what each"
                + " mini-program stored for you (wx.setStorage), decrypted; all kept in the region " + db.region() + ".", records);
    }

    private static List<Map<String, Object>> storageRecords(EncryptedStorage storage, MiniProgramId app, String id) {
        List<Map<String, Object>> records = new ArrayList<>();
        try {
            StorageArea area = storage.open(app.value(), id);
            for (String key : area.info().keys()) {
                area.get(key).ifPresent(value -> records.add(record("storage", "app", app.value(), "key", key, "value", value)));
            }
        } catch (StorageException e) {
            records.add(record("storage", "app", app.value(), "unreadable", true));
        }
        return records;
    }

    @Override
    public Erasure erase(DataSubject subject) {
        ShellUserId user = new ShellUserId(subject.userId());
        sessions.endAllOf(user, HostedSession.End.ERASED);
        // In the transaction the privacy module runs the request in: the one of the database of the user's region.
        RegionalDatabase db = placements.databaseOf(user);
        JdbcClient jdbc = db.jdbc();
        EncryptedStorage storage = storages.in(db);
        List<Erasure.Deleted> deleted = new ArrayList<>();
        deleted.add(new Erasure.Deleted("host_shell_sessions",
                jdbc.sql("DELETE FROM host_shell_sessions WHERE user_id = :u").param("u", user.value()).update()));
        deleted.add(new Erasure.Deleted("host_grants",
                jdbc.sql("DELETE FROM host_grants WHERE user_id = :u").param("u", user.value()).update()));
        long consentEvents = 0;
        long consentCurrent = 0;
        long blobs = 0;
        long labels = 0;
        List<UUID> keys = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (Place place : footprint(jdbc, user)) {
            if (place.lastUsed().isPresent()) {
                used.add(EncryptedStorage.areaName(place.app().value(), place.pairwiseId()));
            }
            long[] consent = eraseConsent(db, place.app(), place.pairwiseId());
            labels += jdbc.sql("DELETE FROM host_privacy_labels WHERE app_id = :a AND user_id = :u")
                    .param("a", place.app().value()).param("u", place.pairwiseId()).update();
            consentCurrent += consent[0];
            consentEvents += consent[1];
            if (place.storage()) {
                try {
                    blobs += storage.erase(place.app().value(), place.pairwiseId()) + 1;
                } catch (StorageException e) {
                    throw new IllegalStateException("a storage area could not be erased", e);
                }
                keys.add(HostStorageConfiguration.areaSubject(place.app().value(), place.pairwiseId()));
            }
        }
        deleted.add(new Erasure.Deleted("host_consent_current", consentCurrent));
        deleted.add(new Erasure.Deleted("host_consent_events", consentEvents));
        deleted.add(new Erasure.Deleted("host_storage_blobs", blobs));
        deleted.add(new Erasure.Deleted("host_privacy_labels", labels));
        deleted.add(new Erasure.Deleted("host_storage_use", jdbc.sql("DELETE FROM host_storage_use WHERE area = ANY(:a)")
                .param("a", used.toArray(String[]::new)).update()));
        deleted.add(new Erasure.Deleted("host_placements",
                jdbc.sql("DELETE FROM host_placements WHERE user_id = :u").param("u", user.value()).update()));
        return new Erasure(name(), deleted, List.of(), keys);
    }

    /** Deletes one mini-program's consent decisions of one user (the history's append-only rule lifted for this transaction alone). */
    private static long[] eraseConsent(RegionalDatabase db, MiniProgramId app, String id) {
        JdbcClient jdbc = db.jdbc();
        return db.transactions().execute(status -> {
            jdbc.sql("SET LOCAL capsule.erasure = 'on'").update();
            long current = jdbc.sql("DELETE FROM host_consent_current WHERE app_id = :a AND user_id = :u")
                    .param("a", app.value()).param("u", id).update();
            long events = jdbc.sql("DELETE FROM host_consent_events WHERE app_id = :a AND user_id = :u")
                    .param("a", app.value()).param("u", id).update();
            // SET LOCAL lasts to the end of the (possibly enclosing) transaction: the rule is back on for whatever follows.
            jdbc.sql("SET LOCAL capsule.erasure = 'off'").update();
            return new long[] {current, events};
        });
    }

    /** Where the user has consent decisions, a label seen or a storage area: one mini-program each, found in batches. */
    record Place(MiniProgramId app, String pairwiseId, boolean storage, Optional<String> lastUsed) {
    }

    /**
     * The mini-programs under which {@code user} has consent decisions or storage: their pairwise id is derived for every
     * mini-program ({@link #apps}) and looked up {@link #BATCH} at a time (two queries per batch, not two per mini-program).
     */
    private List<Place> footprint(JdbcClient jdbc, ShellUserId user) {
        List<Place> places = new ArrayList<>();
        List<MiniProgramId> apps = List.copyOf(apps(jdbc));
        for (int from = 0; from < apps.size(); from += BATCH) {
            Map<String, MiniProgramId> byPairwise = new java.util.HashMap<>();
            Map<String, String> areaToPairwise = new java.util.HashMap<>();
            for (MiniProgramId app : apps.subList(from, Math.min(apps.size(), from + BATCH))) {
                String id = pairwise.runtimeUserId(app, user);
                byPairwise.put(id, app);
                areaToPairwise.put(EncryptedStorage.areaName(app.value(), id), id);
            }
            Set<String> withDecisions = Set.copyOf(jdbc.sql("""
                    SELECT user_id FROM host_consent_current WHERE user_id IN (:ids)
                    UNION SELECT user_id FROM host_privacy_labels WHERE user_id IN (:ids)""")
                    .param("ids", List.copyOf(byPairwise.keySet())).query(String.class).list());
            Set<String> withStorage = new java.util.HashSet<>();
            jdbc.sql("SELECT DISTINCT area FROM host_storage_blobs WHERE area IN (:areas)")
                    .param("areas", List.copyOf(areaToPairwise.keySet())).query(String.class).list()
                    .forEach(area -> withStorage.add(areaToPairwise.get(area)));
            Map<String, String> lastUsed = new java.util.HashMap<>();
            jdbc.sql("SELECT area, last_used::text FROM host_storage_use WHERE area IN (:areas)")
                    .param("areas", List.copyOf(areaToPairwise.keySet()))
                    .query((rs, n) -> Map.entry(areaToPairwise.get(rs.getString(1)), rs.getString(2))).list()
                    .forEach(entry -> lastUsed.put(entry.getKey(), entry.getValue()));
            byPairwise.forEach((id, app) -> {
                if (withDecisions.contains(id) || withStorage.contains(id) || lastUsed.containsKey(id)) {
                    places.add(new Place(app, id, withStorage.contains(id), Optional.ofNullable(lastUsed.get(id))));
                }
            });
        }
        places.sort(java.util.Comparator.comparing(place -> place.app().value()));
        return places;
    }

    /** Every mini-program the registry knows and every one the consent history names (preview ids included), bounded. */
    private Set<MiniProgramId> apps(JdbcClient jdbc) {
        Set<MiniProgramId> apps = new TreeSet<>(java.util.Comparator.comparing(MiniProgramId::value));
        Optional<MiniProgramId> after = Optional.empty();
        while (apps.size() < APPS_MAX) {
            List<MiniProgramId> page = directory.ids(after, MiniProgramDirectory.PAGE_IDS_MAX);
            apps.addAll(page);
            if (page.size() < MiniProgramDirectory.PAGE_IDS_MAX) {
                break;
            }
            after = Optional.of(page.getLast());
        }
        jdbc.sql("SELECT DISTINCT app_id FROM host_consent_events LIMIT :n").param("n", APPS_MAX).query(String.class).list()
                .forEach(text -> MiniProgramId.parse(text).ifPresent(apps::add));
        return apps;
    }
}
