package dev.capsule.runtime.review;

import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.pkg.Packer;
import dev.capsule.core.text.SafeText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The automated review of a package: the entry point the registry calls at upload and
 * {@code capsule review} calls for a file or a source directory.
 *
 * <p>Security guarantees: the manifest and limit checks are the ones {@code capsule pack} and every
 * runtime apply ({@link Packer}, {@link PackageReader} with {@link PackageLimits#DEFAULTS}), not a
 * second copy; a package that fails them gets one {@link Severity#CRITICAL} finding naming the
 * {@link dev.capsule.core.pkg.Reason} ({@code package.<reason code>}), so its report is
 * {@link ReviewReport#blocking blocking}. Review never runs guest code. Nothing here trusts the
 * package: signatures are not checked (the registry does that before reviewing).
 */
public final class PackageReview {
    /** Rule ids of pack/read failures start with this, followed by the {@link dev.capsule.core.pkg.Reason} code. */
    public static final String PACKAGE_RULE_PREFIX = "package.";

    /** A pack-check message is quoted up to this many characters. */
    static final int MESSAGE_CHARS_MAX = 300;

    private PackageReview() {}

    /** Reviews a package that was read already; its archive is checked again against the default limits. */
    public static ReviewReport review(CapsulePackage pkg) {
        try {
            PackageReader.read(pkg.archive(), PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            return failed(e);
        }
        List<Finding> findings = new ArrayList<>();
        return ReviewReport.of(findings);
    }

    /** Reviews a .capsule file's bytes: read as every runtime reads it, then {@link #review(CapsulePackage)}. */
    public static ReviewReport review(byte[] archive) {
        CapsulePackage pkg;
        try {
            pkg = PackageReader.read(archive, PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            return failed(e);
        }
        return review(pkg);
    }

    /**
     * Reviews a source directory as {@code capsule pack} would pack it (same files, same checks).
     *
     * @throws IOException if the directory cannot be read
     */
    public static ReviewReport reviewDirectory(Path dir) throws IOException {
        byte[] archive;
        try {
            archive = Packer.pack(dir, PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            return failed(e);
        }
        return review(archive);
    }

    private static ReviewReport failed(PackageException e) {
        return ReviewReport.of(List.of(new Finding(PACKAGE_RULE_PREFIX + e.reason().code(), Severity.CRITICAL, null, 0,
                "the package fails the pack checks: " + SafeText.escape(e.getMessage(), MESSAGE_CHARS_MAX) + " (fix it and pack again)")));
    }
}
