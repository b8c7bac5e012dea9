package dev.capsule.server.compliance;

import dev.capsule.core.manifest.CapsuleManifest;
import java.util.List;
import java.util.Objects;

/**
 * One generated record of processing activities (GDPR art. 30(1)), the JSON of {@code GET /api/v1/compliance/processing}
 * ({@link #FORMAT}). Every part says where it came from; docs/compliance.md describes each field.
 *
 * @param generatedAt  when it was generated (ISO 8601, UTC)
 * @param controller   who is responsible, from the settings
 * @param platform     the installation's own processing (the modules that store personal data)
 * @param miniPrograms the processing of the mini-programs released now, from their capsule.json
 * @param retention    the retention purges the server runs, as its {@code Purges} catalogue lists them
 * @param policies     the retention policy of each data category in effect (docs/retention.md, "Policies by data category")
 * @param storage      where personal data is stored: each region's database (docs/residency.md), the home region's first
 */
public record ProcessingRecord(String format, String generatedAt, DataController controller, List<PlatformActivity> platform,
        ProgramsPage miniPrograms, List<RetentionRule> retention, List<RetentionPolicy> policies, List<StorageLocation> storage) {
    /** The format name and version of this JSON. */
    public static final String FORMAT = "capsule-processing-records/1";

    public ProcessingRecord {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(controller, "controller");
        platform = List.copyOf(platform);
        Objects.requireNonNull(miniPrograms, "miniPrograms");
        retention = List.copyOf(retention);
        policies = List.copyOf(policies);
        storage = List.copyOf(storage);
    }

    /**
     * Where one region's personal data is stored (docs/residency.md).
     *
     * @param region   the region's name
     * @param home     whether it is the installation's home region (its database also holds the control plane: operators,
     *                 keys, registry, releases, the audit log, payments)
     * @param location the database that stores it, without credentials
     * @param endUsers the end users whose data is placed in it
     */
    public record StorageLocation(String region, boolean home, String location, long endUsers) {
        public StorageLocation {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(location, "location");
        }
    }

    /** The controller (art. 30(1)(a)), exactly as configured. */
    public record DataController(String name, String contact) {
        public DataController {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contact, "contact");
        }
    }

    /**
     * One processing activity of the platform itself.
     *
     * @param module           the server module that stores the data
     * @param purges           the purges (by name) that delete from {@code tables}, from the {@code Purges} catalogue
     * @param keptWithoutPurge what is kept beyond any purge, and why
     * @param security         the technical measures protecting it (art. 30(1)(g)), in general terms
     */
    public record PlatformActivity(String module, String name, String purpose, List<String> dataSubjects, List<String> dataCategories,
            List<String> recipients, List<String> tables, List<String> purges, String keptWithoutPurge, String security) {
        public PlatformActivity {
            Objects.requireNonNull(module, "module");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(purpose, "purpose");
            dataSubjects = List.copyOf(dataSubjects);
            dataCategories = List.copyOf(dataCategories);
            recipients = List.copyOf(recipients);
            tables = List.copyOf(tables);
            purges = List.copyOf(purges);
            Objects.requireNonNull(keptWithoutPurge, "keptWithoutPurge");
            Objects.requireNonNull(security, "security");
        }

        /** This activity with {@code found} as its purges. */
        public PlatformActivity withPurges(List<String> found) {
            return new PlatformActivity(module, name, purpose, dataSubjects, dataCategories, recipients, tables, found, keptWithoutPurge,
                    security);
        }
    }

    /**
     * The released mini-programs of this page.
     *
     * @param listedMax {@link ProcessingRecords#PROGRAMS_PER_RECORD_MAX}
     * @param next      the app id to ask for the next page with ({@code ?after=}); null when this page is the last
     */
    public record ProgramsPage(int listedMax, List<ProgramActivity> programs, String next) {
        public ProgramsPage {
            programs = List.copyOf(programs);
        }
    }

    /**
     * A released mini-program.
     *
     * @param organisation         the registered developer organisation that owns the id
     * @param organisationVerified whether an operator verified that organisation
     * @param versions             the versions served now (not revoked), each with its own declarations
     */
    public record ProgramActivity(String app, String organisation, boolean organisationVerified, List<VersionActivity> versions) {
        public ProgramActivity {
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(organisation, "organisation");
            versions = List.copyOf(versions);
        }
    }

    /**
     * One released version, as its capsule.json declares it (developer-written text).
     *
     * @param sharePercent the percentage of users it is served to now
     * @param name         its name in capsule.json
     * @param purposes     its {@code privacy} declarations: the personal data, the APIs that read it, and why
     * @param recipients   the hosts its network APIs may reach, each with those APIs: where data may be sent
     */
    public record VersionActivity(String version, int sharePercent, String name, List<CapsuleManifest.PrivacyDeclaration> purposes,
            List<RecipientHost> recipients) {
        public VersionActivity {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(name, "name");
            purposes = List.copyOf(purposes);
            recipients = List.copyOf(recipients);
        }
    }

    /** A host from capsule.json's {@code network} and the network APIs ({@code request}, {@code uploadFile}, …) allowed to reach it. */
    public record RecipientHost(String host, List<String> apis) {
        public RecipientHost {
            Objects.requireNonNull(host, "host");
            apis = List.copyOf(apis);
        }
    }

    /**
     * One purge of the server's retention catalogue.
     *
     * @param keptFor         how long past its condition's time a row is kept (ISO 8601 duration)
     * @param keptForSeconds  the same in seconds
     * @param condition       the rows it may delete (SQL over the table's columns, {@code :cutoff} = now − keptFor)
     * @param intervalSeconds how often it runs on each node
     * @param category        the data category of its rows (a {@link RetentionPolicy}'s)
     */
    public record RetentionRule(String purge, String table, String keptFor, long keptForSeconds, String condition, long intervalSeconds,
            String category) {
        public RetentionRule {
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(purge, "purge");
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(keptFor, "keptFor");
            Objects.requireNonNull(condition, "condition");
        }
    }

    /**
     * The retention policy of one data category, as the server applies it.
     *
     * @param category the category ({@code mini-program-storage}, {@code sessions}, {@code audit-details},
     *                 {@code payment-records}, {@code operational})
     * @param period   the period in effect (ISO 8601), or null where the category has none
     * @param minimum  the legal minimum (ISO 8601), or null where none applies
     * @param setting  the setting that changes it, or null where none can
     * @param changed  whether the setting changed it from the default
     */
    public record RetentionPolicy(String category, String period, String minimum, String setting, boolean changed) {
        public RetentionPolicy {
            Objects.requireNonNull(category, "category");
        }
    }
}
