package dev.capsule.core.pkg;

import dev.capsule.core.manifest.AppConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * How many files and bytes each (sub)package holds, for WeChat's per-package limits. A file belongs
 * to the subpackage whose root it lies under ({@link AppConfig#packageOf}), else to the main package;
 * Capsule's own metadata ({@code _capsule/}) belongs to none and counts only against the totals.
 */
record PackageSizes(List<Size> sizes) {
    static final String MAIN_PACKAGE_LABEL = "the main package";

    /** One (sub)package: its label for messages, its file count and its sizes. */
    record Size(String label, int files, long bytes, long compressedBytes) {}

    PackageSizes {
        sizes = List.copyOf(sizes);
    }

    /**
     * @param files the package's files (no metadata) with their uncompressed bytes
     * @param compressedSize each file's compressed size in the archive (0 when not yet written)
     */
    static PackageSizes of(AppConfig app, Map<String, byte[]> files, ToLongFunction<String> compressedSize) {
        Map<String, long[]> totals = new LinkedHashMap<>();
        totals.put(MAIN_PACKAGE_LABEL, new long[3]);
        app.subpackages().forEach(s -> totals.put(s.label(), new long[3]));
        for (var file : files.entrySet()) {
            String label = app.packageOf(file.getKey()).map(AppConfig.Subpackage::label).orElse(MAIN_PACKAGE_LABEL);
            long[] t = totals.get(label);
            t[0]++;
            t[1] += file.getValue().length;
            t[2] += compressedSize.applyAsLong(file.getKey());
        }
        List<Size> sizes = new ArrayList<>(totals.size());
        totals.forEach((label, t) -> sizes.add(new Size(label, (int) t[0], t[1], t[2])));
        return new PackageSizes(sizes);
    }

    /** Fails on the first (sub)package over a limit, naming it. */
    void check(PackageLimits limits) throws PackageException {
        for (Size size : sizes) {
            if (size.files() > limits.packageFilesMax()) {
                throw new PackageException(Reason.TOO_MANY_ENTRIES, size.label() + " has " + size.files() + " files; the limit is "
                        + limits.packageFilesMax() + " files per (sub)package");
            }
            if (size.bytes() > limits.packageBytesMax()) {
                throw new PackageException(Reason.TOTAL_TOO_LARGE, size.label() + " is " + size.bytes() + " bytes uncompressed; the limit is "
                        + limits.packageBytesMax() + " bytes per (sub)package");
            }
            if (size.compressedBytes() > limits.packageCompressedBytesMax()) {
                throw new PackageException(Reason.ARCHIVE_TOO_LARGE, size.label() + " is " + size.compressedBytes()
                        + " bytes compressed; the limit is " + limits.packageCompressedBytesMax() + " bytes per (sub)package");
            }
        }
    }
}
