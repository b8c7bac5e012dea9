package dev.capsule.runtime.review.sbom;

import dev.capsule.core.manifest.CapsuleManifest;
import dev.capsule.core.osv.Advisory;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AdvisorySeverity;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.osv.AffectedCheck;
import dev.capsule.core.osv.PackageRef;
import dev.capsule.core.osv.Verdict;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.review.Finding;
import dev.capsule.runtime.review.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The supply-chain part of the automated review: lists a package's third-party libraries (capsule.json's
 * {@code dependencies} plus libraries detected in its files, see {@link BundledLibraries}), writes them as a
 * CycloneDX 1.6 SBOM, and matches each against an {@link AdvisorySource} with OSV's range semantics
 * ({@link AffectedCheck}).
 *
 * <p>Rules (stable ids): {@value #RULE_VULNERABLE} (severity from the advisory, see {@link #severityOf}; carries the
 * advisory id and the fixed version), {@value #RULE_UNDETERMINED} (medium: an advisory's ranges cannot be evaluated
 * for the version), {@value #RULE_UNDECLARED} (medium: a detected library capsule.json does not declare),
 * {@value #RULE_UNREADABLE} (medium: a bundled package.json that names no readable library).
 *
 * <p>Security guarantees: fails closed: an advisory source that cannot answer makes {@link #scan} throw (never an
 * SBOM with no findings); an advisory Capsule cannot evaluate is a finding, never silence. A component declared and
 * detected at the same version is one component. Advisory text and package names are quoted ({@link Finding#quote})
 * in explanations. The SBOM bytes are deterministic for a package.
 */
public final class SupplyChainScan {
    public static final String RULE_VULNERABLE = "supply-chain.vulnerable-dependency";
    public static final String RULE_UNDETERMINED = "supply-chain.undetermined-dependency";
    public static final String RULE_UNDECLARED = "supply-chain.undeclared-dependency";
    public static final String RULE_UNREADABLE = "supply-chain.unreadable-library-manifest";
    /** Components in one SBOM: at most the advisory source's batch size. */
    public static final int COMPONENTS_MAX = AdvisorySource.PACKAGES_PER_LOOKUP_MAX;

    private final AdvisorySource advisories;

    public SupplyChainScan(AdvisorySource advisories) {
        this.advisories = Objects.requireNonNull(advisories, "advisories");
    }

    /**
     * @param sbom the CycloneDX 1.6 JSON document (UTF-8)
     * @param components the components it lists, in SBOM order (by name, then version)
     * @param findings the supply-chain findings
     */
    public record Result(byte[] sbom, List<SbomComponent> components, List<Finding> findings) {
        public Result {
            sbom = sbom.clone();
            components = List.copyOf(components);
            findings = List.copyOf(findings);
        }

        @Override
        public byte[] sbom() {
            return sbom.clone();
        }
    }

    /**
     * Scans {@code pkg}.
     *
     * @throws AdvisoryLookupException when the advisory source cannot answer, or the package has more than
     *     {@link #COMPONENTS_MAX} components
     */
    public Result scan(CapsulePackage pkg) throws AdvisoryLookupException {
        List<Finding> findings = new ArrayList<>();
        BundledLibraries.Result found = BundledLibraries.scan(pkg);
        for (BundledLibraries.Unreadable u : found.unreadable()) {
            findings.add(new Finding(RULE_UNREADABLE, Severity.MEDIUM, u.path(), 0,
                    "a bundled package.json " + u.reason() + ": the library cannot be identified or checked for advisories"));
        }
        List<SbomComponent> components = components(pkg.manifest(), found.detected());
        if (components.size() > COMPONENTS_MAX) {
            throw new AdvisoryLookupException("the package has more than " + COMPONENTS_MAX + " third-party components");
        }
        for (SbomComponent c : components) {
            if (!c.declared()) {
                SbomComponent.Evidence first = c.evidence().getFirst();
                findings.add(new Finding(RULE_UNDECLARED, Severity.MEDIUM, first.path(), first.line(),
                        "bundled library " + Finding.quote(c.name() + " " + c.version())
                                + " is not declared in capsule.json dependencies"));
            }
        }
        LinkedHashSet<PackageRef> packages = new LinkedHashSet<>();
        components.forEach(c -> packages.add(c.pkg()));
        Map<PackageRef, List<Advisory>> byPackage = advisories.affecting(packages);
        for (SbomComponent c : components) {
            List<Advisory> candidates = byPackage.get(c.pkg());
            if (candidates == null) {
                throw new AdvisoryLookupException("the advisory source gave no answer for " + c.name());
            }
            for (Advisory advisory : candidates) {
                match(c, advisory).ifPresent(findings::add);
            }
        }
        return new Result(CycloneDxSbom.write(pkg, components), components, findings);
    }

    private static java.util.Optional<Finding> match(SbomComponent c, Advisory advisory) {
        String path = c.declared() ? "capsule.json" : c.evidence().getFirst().path();
        int line = c.declared() ? 0 : c.evidence().getFirst().line();
        String subject = Finding.quote(c.name() + " " + c.version());
        return switch (AffectedCheck.check(advisory, c.pkg(), c.version())) {
            case Verdict.NotAffected n -> java.util.Optional.empty();
            case Verdict.Affected a -> {
                Severity severity = severityOf(AdvisorySeverity.of(advisory, c.pkg()));
                String fixed = a.fixedVersion() != null && a.fixedVersion().length() <= Finding.Advisory.VERSION_CHARS_MAX
                        ? a.fixedVersion() : null;
                String explanation = subject + " is affected by " + advisory.id() + " (" + severity.code() + ")"
                        + (advisory.summary().isBlank() ? "" : ": " + Finding.quote(advisory.summary()))
                        + (fixed == null ? "; no fixed version is known" : "; fixed in " + Finding.quote(fixed));
                yield java.util.Optional.of(new Finding(RULE_VULNERABLE, severity, path, line, explanation,
                        new Finding.Advisory(advisory.id(), fixed)));
            }
            case Verdict.Undetermined u -> java.util.Optional.of(new Finding(RULE_UNDETERMINED, Severity.MEDIUM, path, line,
                    "cannot decide whether " + subject + " is affected by " + advisory.id() + ": " + Finding.quote(u.reason()),
                    new Finding.Advisory(advisory.id(), null)));
        };
    }

    /**
     * The finding severity of an advisory: its OSV level (critical at CVSS 9.0 and above, or when the database says
     * CRITICAL); an advisory with no readable severity is high, not low, since it is a known vulnerability.
     */
    static Severity severityOf(AdvisorySeverity level) {
        return switch (level) {
            case CRITICAL -> Severity.CRITICAL;
            case HIGH, UNKNOWN -> Severity.HIGH;
            case MEDIUM -> Severity.MEDIUM;
            case LOW -> Severity.LOW;
        };
    }

    /** Declared dependencies and detected libraries, one component per (name, version), sorted by name then version. */
    static List<SbomComponent> components(CapsuleManifest manifest, List<BundledLibraries.Detected> detected) {
        record Key(String name, String version) {}
        Map<Key, Boolean> declared = new LinkedHashMap<>();
        Map<Key, List<SbomComponent.Evidence>> evidence = new LinkedHashMap<>();
        for (CapsuleManifest.Dependency d : manifest.dependencies()) {
            Key key = new Key(d.name(), d.version());
            declared.put(key, true);
            evidence.putIfAbsent(key, new ArrayList<>());
        }
        for (BundledLibraries.Detected d : detected) {
            evidence.computeIfAbsent(new Key(d.name(), d.version()), k -> new ArrayList<>())
                    .add(new SbomComponent.Evidence(d.path(), d.line()));
        }
        List<SbomComponent> components = new ArrayList<>();
        evidence.forEach((key, where) -> components.add(new SbomComponent(key.name(), key.version(), declared.containsKey(key), where)));
        components.sort(Comparator.comparing(SbomComponent::name).thenComparing(SbomComponent::version));
        return components;
    }
}
