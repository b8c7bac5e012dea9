package dev.capsule.server.compliance.internal;

import dev.capsule.server.compliance.ProcessingRecord;
import java.util.List;

/**
 * The installation's own processing of personal data, module by module: the one place it is described, from what each
 * module's tables actually hold (the migrations). The records of processing add to each activity the purges of its
 * tables from the platform's catalogue, so retention is never restated here; {@code keptWithoutPurge} says what no
 * purge removes, and why. {@code PlatformProcessingTest} fails when a table holding personal data (by its columns) is
 * named by no activity, or an activity names a table that does not exist.
 */
final class PlatformProcessing {
    private static final List<String> OPERATORS = List.of("operators (the installation's staff)");
    private static final List<String> END_USERS = List.of("end users of the super-app and its mini-programs");
    private static final String PLATFORM_ONLY = "nobody outside the installation's operators";

    static final List<ProcessingRecord.PlatformActivity> ACTIVITIES = List.of(
            activity("identity", "Operator accounts, sign-in and sessions",
                    "authenticate the operators of the console and the API (password, TOTP, step-up), throttle password guessing "
                            + "and keep their sessions (their security events go to the audit log)",
                    OPERATORS,
                    List.of("username, roles, status", "password (Argon2id hash)", "TOTP secrets (sealed), recovery codes (SHA-256 hashes)",
                            "session data (principal, creation and last-access times)",
                            "failed sign-ins counted by client address and by a hash of the typed name"),
                    List.of(PLATFORM_ONLY + " (operators.read shows operators and their roles)"),
                    List.of("operators", "operator_recovery_codes", "spring_session", "spring_session_attributes", "sign_in_throttle"),
                    "operator accounts are disabled, not deleted, so past actions stay attributable; expired sessions are removed by "
                            + "Spring Session's own clean-up",
                    "no secret in the clear: Argon2id password hashes, TOTP secrets sealed with the keys module's field encryption; "
                            + "sessions in PostgreSQL behind a __Host- cookie with CSRF tokens"),
            activity("access", "API keys and rate limits",
                    "authenticate host applications' API keys under the two-person rule (who created, approved and revoked each key) "
                            + "and limit request rates per key and per client address",
                    List.of("operators", "callers of the API (by client address)"),
                    List.of("operator actor ids on API keys", "client addresses in rate-limit buckets"),
                    List.of(PLATFORM_ONLY + " (apikeys.read)"),
                    List.of("api_key", "rate_bucket"),
                    "API keys and their actors are kept as configuration history",
                    "key secrets are stored only as SHA-256 hashes; rate buckets are an unlogged table"),
            activity("keys", "Per-person data keys",
                    "keep one data key per person, so that what is sealed for that person becomes unreadable when the key is erased "
                            + "(crypto-shredding); record who started key rotations",
                    List.of("operators", "end users (by a subject id derived from them)"),
                    List.of("subject ids derived from a person", "wrapped data keys", "erasure tombstones", "rotation actors"),
                    List.of(PLATFORM_ONLY + " (keys.manage sees key sets, never data keys)"),
                    List.of("keys_subject_keys", "keys_erased_subjects", "keys_rotations", "keys_event_outbox"),
                    "a data key lives until it is erased; its tombstone stays so it is never re-created; the event outbox is drained "
                            + "into the audit log",
                    "data keys are wrapped under the purpose's key set, itself encrypted under the root key of the KMS"),
            activity("audit", "Audit log",
                    "keep a tamper-evident record of security-relevant actions and every denial, for accountability and investigation",
                    List.of("operators", "API key holders", "end users (as keyed pseudonyms only)"),
                    List.of("operator and API key ids, actions and outcomes",
                            "client addresses as a keyed pseudonym plus the address sealed under a key of the person and month",
                            "end users as keyed pseudonyms, with an index of the entries that name each pseudonym"),
                    List.of("security officers and auditors (audit.read)", "whoever is given an export of the log"),
                    List.of("audit_pending", "audit_entries", "audit_user_entries", "audit_detail_keys"),
                    "kept for good: the log refuses update and delete, since a deletion would break every proof; a sealed address "
                            + "becomes unreadable when its month's key is destroyed after the audit-details period (default a year)",
                    "RFC 9162 Merkle tree with signed checkpoints; addresses sealed per person and month"),
            activity("registry", "Developer organisations and package review",
                    "register developer organisations (legal name, contact), their members and signing keys, and record who "
                            + "submitted, reviewed, approved or excepted each package version",
                    List.of("developers' contact persons", "operators"),
                    List.of("organisation contact (free text that may name a person)", "member operator ids",
                            "actor ids of registrations, submissions, decisions, exceptions and risk assessments"),
                    List.of(PLATFORM_ONLY + " (organisations.manage, packages.read)",
                            "end users see the organisation's legal name in the shell"),
                    List.of("registry_organisation", "registry_member", "registry_mini_program", "registry_signing_key", "registry_version",
                            "registry_exception", "registry_organisation_suspension", "registry_risk_assessment", "registry_minimization"),
                    "kept as configuration history: package versions are immutable and never deleted",
                    "versions and their decisions are immutable by database trigger"),
            activity("incidents", "Security incidents",
                    "record security incidents (title, severity, state, notes) and who opened, contained and closed them; the "
                            + "operations taken under an incident are in the audit log",
                    OPERATORS,
                    List.of("operator ids of who opened, contained and closed an incident and of each note's author",
                            "incident titles and notes (free text that may name a person)"),
                    List.of(PLATFORM_ONLY + " (incidents.manage)"),
                    List.of("incidents", "incident_notes"),
                    "kept for good: an incident is a record for investigation and regulators; notes are append-only",
                    "notes refuse update and delete by database trigger"),
            activity("releases", "Release transparency log",
                    "publish every release, rollout and revocation in a public, verifiable log naming the operator who approved or "
                            + "made it",
                    OPERATORS,
                    List.of("operator ids of approvers and actors in log entries"),
                    List.of("the public: the release log is readable by anyone (runtimes, monitors)"),
                    List.of("release_log_entries"),
                    "kept for good: the log is append-only and public",
                    "append-only by database trigger; signed checkpoints"),
            activity("host", "End users' shell sign-in and sessions",
                    "sign end users in to the shell with a session grant from the super-app's backend, and keep their shell sessions",
                    END_USERS,
                    List.of("the super-app's user id", "the API key that issued the grant", "grant and session times"),
                    List.of(PLATFORM_ONLY + "; a mini-program receives only a pairwise id, different for each mini-program"),
                    List.of("host_grants", "host_shell_sessions"),
                    "nothing beyond the purges",
                    "grants are short-lived and used once; sessions behind a __Host- cookie"),
            activity("host", "Where each end user's data is placed",
                    "keep each end user's data in the database of their region only (data residency, docs/residency.md)",
                    END_USERS,
                    List.of("the super-app's user id and when it was placed, in the database of the user's region"),
                    List.of(PLATFORM_ONLY),
                    List.of("host_placements"),
                    "until the user's erasure",
                    "a region's database is tagged with it and a start against a database of another region is refused; a "
                            + "sign-in naming another region than the user's is refused"),
            activity("host", "Consent decisions",
                    "record each user's consent decisions per mini-program and scope, so that personal-data APIs are called only with "
                            + "consent",
                    END_USERS,
                    List.of("pairwise user id, mini-program, scope, decision (granted, denied, withdrawn) and its time",
                            "the purpose text shown and the version of the privacy text it was shown under"),
                    List.of("the user (the shell's settings)", "the mini-program learns only the decision"),
                    List.of("host_consent_events", "host_consent_current"),
                    "the history is append-only and kept as evidence of consent (at most 1,000 decisions per user and "
                            + "mini-program, docs/privacy.md)",
                    "held under the pairwise id, never the super-app's user id"),
            activity("host", "Privacy labels seen",
                    "show each mini-program's privacy label before a user's first launch, and again when its privacy text changes",
                    END_USERS,
                    List.of("pairwise user id, mini-program, the version of the privacy text continued past and when"),
                    List.of("the user (the label's page)"),
                    List.of("host_privacy_labels"),
                    "one row per user and mini-program, replaced when the user continues past a changed label",
                    "held under the pairwise id, never the super-app's user id"),
            activity("host", "Mini-program storage",
                    "keep what each mini-program stores for a user through the wx storage APIs",
                    END_USERS,
                    List.of("whatever the mini-program stores (opaque to the platform)", "an area id derived from the mini-program "
                            + "and the user's pairwise id"),
                    List.of("the mini-program itself, for that user only"),
                    List.of("host_storage_blobs", "host_storage_use"),
                    "until the mini-program or the user removes it (bounded per user by the storage limits), or the user has not "
                            + "opened the mini-program for the mini-program-storage retention period (default a year); the day of "
                            + "each area's last use is kept with it",
                    "every record encrypted (AES-256-GCM) under data keys wrapped under a data-subject key of that user and "
                            + "mini-program alone (the keys module), so erasing the user destroys it; names are keyed hashes"),
            activity("host", "Payment sheets and payer step-up",
                    "remember the merchants a payer paid through the payment sheet and verify the payer (passkeys, one-time codes) "
                            + "before a payment",
                    List.of("end users as payers"),
                    List.of("payer reference (a keyed pseudonym)", "merchants used", "passkey credentials and their origins",
                            "step-up challenges"),
                    List.of(PLATFORM_ONLY),
                    List.of("host_payment_merchants", "host_payer_step_ups", "host_payer_code_steps", "host_payer_passkeys",
                            "host_passkey_registrations"),
                    "merchants used and passkeys are kept until the user removes them",
                    "the payer is held only as a keyed pseudonym"),
            activity("payments", "Payments",
                    "take payments for mini-programs' merchants: payment intents, refunds, wallet credits, stored cards, webhooks "
                            + "to merchants",
                    List.of("end users as payers", "operators"),
                    List.of("payer id (the super-app's user id) and the payer's pairwise id in the mini-program",
                            "amounts, descriptions and metadata written by the merchant",
                            "cards: number and holder name sealed, BIN, last four digits, brand, expiry",
                            "operator ids on merchants, their keys, refunds and webhook endpoints"),
                    List.of("the merchant of each payment (its API and webhooks carry the payer's pairwise id)", "the card acquirer"),
                    List.of("payments_intent", "payments_refund", "payments_wallet_credit", "payments_card", "payments_webhook_message",
                            "payments_idempotency", "payments_merchant", "payments_merchant_key", "payments_webhook_endpoint"),
                    "payment records (intents, refunds, wallet credits) are kept: they are the bank's records; cards until the user "
                            + "removes them; merchants and their keys and endpoints as configuration history",
                    "card numbers and holder names sealed under the vault key, indexed only by a keyed tag; requests signed (RFC 9421)"),
            activity("ledger", "Ledger",
                    "keep the double-entry accounts and transfers every payment moves money through; a wallet is an account per payer",
                    List.of("end users as wallet holders"),
                    List.of("account ids derived from the payer id", "account references",
                            "transfers to and from those accounts (amounts, times, references)"),
                    List.of(PLATFORM_ONLY + " (payments.read)"),
                    List.of("ledger_accounts", "ledger_transfers"),
                    "kept for good: the bank's records; transfers refuse update and delete",
                    "balance limits enforced by database constraints"),
            activity("privacy", "Data-subject requests",
                    "carry out users' requests to see (export) or delete (erasure) their data within the legal deadline, and keep "
                            + "the evidence that each was carried out",
                    END_USERS,
                    List.of("the user as a keyed pseudonym, the request's kind, state and times, how their identity was verified",
                            "the erasure certificate (tables and row counts, destroyed key ids)",
                            "a finished export: everything held about the user, sealed"),
                    List.of("the user alone receives the export", PLATFORM_ONLY + " (privacy.manage) see the requests, never the export"),
                    List.of("privacy_requests", "privacy_export_chunks"),
                    "requests and their certificates are kept as the evidence of compliance (GDPR art. 5(2)); they name the user "
                            + "only by pseudonym",
                    "exports sealed under the user's own data-subject key and deleted with the user's erasure"));

    private PlatformProcessing() {
    }

    /**
     * One activity; its purges are looked up in the catalogue when a record is generated
     * ({@link ProcessingRecord.PlatformActivity#withPurges}).
     *
     * @param tables the tables it stores the data in (each named by exactly one activity)
     */
    private static ProcessingRecord.PlatformActivity activity(String module, String name, String purpose, List<String> dataSubjects,
            List<String> dataCategories, List<String> recipients, List<String> tables, String keptWithoutPurge, String security) {
        return new ProcessingRecord.PlatformActivity(module, name, purpose, dataSubjects, dataCategories, recipients, tables, List.of(),
                keptWithoutPurge, security);
    }
}
