package dev.capsule.server.compliance.internal;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.manifest.HostName;
import dev.capsule.server.compliance.ProcessingRecord;
import dev.capsule.server.compliance.ProcessingRecords;
import dev.capsule.server.host.PlacedUsers;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.platform.Purge;
import dev.capsule.server.platform.Purges;
import dev.capsule.server.platform.Residency;
import dev.capsule.server.platform.RetentionPolicies;
import dev.capsule.server.registry.MiniProgramId;
import dev.capsule.server.releases.ReleasedPrograms;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * {@link ProcessingRecords} from its sources, on each call: {@link PlatformProcessing}, the releases module's
 * {@link ReleasedPrograms#released}, the platform's {@link Purges} and {@link ControllerSettings}. Nothing is stored
 * or cached here, so a record always reflects the releases and purges of the moment.
 */
@Component
class ProcessingRecordsService implements ProcessingRecords {
    private final ControllerSettings settings;
    private final ReleasedPrograms released;
    private final Purges purges;
    private final RetentionPolicies policies;
    private final Residency residency;
    private final PlacedUsers placed;
    private final Clock clock;

    ProcessingRecordsService(ControllerSettings settings, ReleasedPrograms released, Purges purges, RetentionPolicies policies,
            Residency residency, PlacedUsers placed) {
        this.settings = settings;
        this.residency = residency;
        this.placed = placed;
        this.released = released;
        this.purges = purges;
        this.policies = policies;
        this.clock = Clock.systemUTC();
    }

    @Override
    public ProcessingRecord generate(Optional<MiniProgramId> after) {
        ProcessingRecord.DataController controller = settings.controller().orElseThrow(() -> new ProblemException(
                ComplianceProblems.CONTROLLER_UNSET, "set capsule.privacy.controller-name and capsule.privacy.controller-contact "
                        + "(CAPSULE_PRIVACY_CONTROLLERNAME, CAPSULE_PRIVACY_CONTROLLERCONTACT) to the controller's legal name and "
                        + "contact; no record of processing is generated without them"));
        List<Purge> catalogue = purges.all();
        return new ProcessingRecord(ProcessingRecord.FORMAT, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), controller,
                PlatformProcessing.ACTIVITIES.stream().map(activity -> platform(activity, catalogue)).toList(), programs(after),
                catalogue.stream().map(ProcessingRecordsService::rule).toList(),
                policies.all().stream().map(ProcessingRecordsService::policy).toList(),
                residency.databases().stream().map(db -> new ProcessingRecord.StorageLocation(db.region().value(),
                        residency.isHome(db.region()), db.location(), placed.placedIn(db.region()))).toList());
    }

    private static ProcessingRecord.PlatformActivity platform(ProcessingRecord.PlatformActivity activity, List<Purge> catalogue) {
        return activity.withPurges(catalogue.stream().filter(purge -> activity.tables().contains(purge.table())).map(Purge::name).toList());
    }

    private ProcessingRecord.ProgramsPage programs(Optional<MiniProgramId> after) {
        ReleasedPrograms.ReleasedPage page = released.released(after, PROGRAMS_PER_RECORD_MAX);
        List<ProcessingRecord.ProgramActivity> programs = page.programs().stream().map(program -> new ProcessingRecord.ProgramActivity(
                program.app().value(), program.developer().name(), program.developer().verified(),
                program.versions().stream().map(ProcessingRecordsService::version).toList())).toList();
        return new ProcessingRecord.ProgramsPage(PROGRAMS_PER_RECORD_MAX, programs, page.next().map(MiniProgramId::value).orElse(null));
    }

    private static ProcessingRecord.VersionActivity version(ReleasedPrograms.ReleasedVersion version) {
        CapsuleManifest manifest = version.manifest();
        return new ProcessingRecord.VersionActivity(version.version(), version.sharePercent(), manifest.name(), manifest.privacy(),
                recipients(manifest.network()));
    }

    /** Each host the manifest lets a network API reach, once, with the APIs (in capsule.json's order: request, uploadFile, …). */
    static List<ProcessingRecord.RecipientHost> recipients(CapsuleManifest.Network network) {
        Map<String, List<String>> byHost = new LinkedHashMap<>();
        add(byHost, "request", network.request());
        add(byHost, "uploadFile", network.uploadFile());
        add(byHost, "downloadFile", network.downloadFile());
        add(byHost, "connectSocket", network.connectSocket());
        return byHost.entrySet().stream().map(entry -> new ProcessingRecord.RecipientHost(entry.getKey(), entry.getValue())).toList();
    }

    private static void add(Map<String, List<String>> byHost, String api, List<HostName> hosts) {
        for (HostName host : hosts) {
            byHost.computeIfAbsent(host.toString(), name -> new ArrayList<>()).add(api);
        }
    }

    private static ProcessingRecord.RetentionRule rule(Purge purge) {
        return new ProcessingRecord.RetentionRule(purge.name(), purge.table(), purge.keptFor().toString(), purge.keptFor().toSeconds(),
                purge.expiredWhen(), purge.interval().toSeconds(), purge.category().code());
    }

    private static ProcessingRecord.RetentionPolicy policy(RetentionPolicies.Policy policy) {
        return new ProcessingRecord.RetentionPolicy(policy.category().code(), policy.period().orElse(null),
                policy.category().minimum().orElse(null), policy.category().setting().orElse(null), policy.changed());
    }
}
