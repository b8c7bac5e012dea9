package dev.capsule.server.registry.internal;

import dev.capsule.core.crypto.Sha256;
import dev.capsule.core.osv.AdvisoryLookupException;
import dev.capsule.core.osv.AdvisorySource;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.runtime.review.Minimization;
import dev.capsule.runtime.review.PackageReview;
import dev.capsule.runtime.review.ReviewReport;
import dev.capsule.runtime.review.Severity;
import dev.capsule.runtime.review.sbom.SupplyChainScan;
import dev.capsule.server.platform.ProblemException;
import dev.capsule.server.registry.RegistryProblems;
import java.nio.charset.StandardCharsets;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The automated review run at upload: the runtime's {@link PackageReview} (manifest and limits, JavaScript
 * analysis, secrets, privacy, and from the same analysis the data-minimization report) and {@link SupplyChainScan} (CycloneDX SBOM, OSV advisories from the
 * advisories module's store), joined into one {@link ReviewReport} kept with the version as JSON and HTML.
 *
 * <p>Security guarantees: fails closed: without an {@link AdvisorySource}, or when it cannot answer, the
 * upload is refused ({@code review-unavailable}); a version is never stored without its complete review.
 */
@Component
class AutomatedReview {
    private final ObjectProvider<AdvisorySource> advisories;

    AutomatedReview(ObjectProvider<AdvisorySource> advisories) {
        this.advisories = advisories;
    }

    /** What the review produced, as stored. */
    record Outcome(byte[] findingsJson, byte[] findingsHtml, Sha256 findingsSha256, byte[] sbomJson, Sha256 sbomSha256,
                   int criticalFindings, byte[] minimizationJson) {
    }

    Outcome review(CapsulePackage pkg) {
        AdvisorySource source = advisories.getIfAvailable();
        if (source == null) {
            throw new ProblemException(RegistryProblems.REVIEW_UNAVAILABLE,
                    "the server has no advisory source for the supply-chain scan; nothing was stored");
        }
        SupplyChainScan.Result supplyChain;
        try {
            supplyChain = new SupplyChainScan(source).scan(pkg);
        } catch (AdvisoryLookupException e) {
            throw new ProblemException(RegistryProblems.REVIEW_UNAVAILABLE,
                    "the supply-chain scan could not run: " + dev.capsule.core.text.SafeText.escape(e.getMessage(), 200)
                            + "; nothing was stored");
        }
        PackageReview.Analysis analysis = PackageReview.analyse(pkg);
        ReviewReport report = analysis.report().with(supplyChain.findings());
        byte[] json = report.toJson();
        String title = "Review of " + pkg.manifest().id() + " " + pkg.manifest().version();
        byte[] sbom = supplyChain.sbom();
        return new Outcome(json, report.toHtml(title).getBytes(StandardCharsets.UTF_8), Sha256.of(json), sbom, Sha256.of(sbom),
                report.counts().get(Severity.CRITICAL), minimization(analysis));
    }

    /**
     * The minimization report of the review's analysis (JSON {@code capsule-minimization/1}); for a package the pack
     * checks refuse (never stored: uploads read the package first), an empty report.
     */
    static byte[] minimization(PackageReview.Analysis analysis) {
        return analysis.minimization().orElseGet(() -> new Minimization(java.util.List.of(), java.util.List.of())).toJson();
    }
}
