package dev.capsule.runtime.review;

import dev.capsule.core.manifest.CapsuleManifestParser;
import dev.capsule.core.pkg.CapsulePackage;
import dev.capsule.core.pkg.PackageException;
import dev.capsule.core.pkg.PackageFiles;
import dev.capsule.core.pkg.PackageLimits;
import dev.capsule.core.pkg.PackageReader;
import dev.capsule.core.text.SafeText;
import dev.capsule.runtime.build.BuildException;
import dev.capsule.runtime.build.MiniProgramBuild;
import dev.capsule.runtime.view.ViewPackage;
import dev.capsule.runtime.view.wxml.WxmlException;
import dev.capsule.runtime.view.wxss.WxssException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The automated review of a package: the entry point the registry calls at upload and
 * {@code capsule review} calls for a file or a source directory.
 *
 * <p>Security guarantees: the manifest and limit checks are the ones {@code capsule pack} and every
 * runtime apply ({@link MiniProgramBuild}, {@link PackageReader} with {@link PackageLimits#DEFAULTS}), not a
 * second copy; a package that fails them gets one {@link Severity#CRITICAL} finding naming the
 * {@link dev.capsule.core.pkg.Reason} ({@code package.<reason code>}), so its report is
 * {@link ReviewReport#blocking blocking}; a directory that does not build (a syntax error, an ES module
 * that cannot be compiled) gets one {@link Rule#PACKAGE_BUILD} finding at the file and line. A package that passes them gets every rule of {@link Rule}:
 * each {@code .js} file parsed by GraalJS's parser as the runtime would compile it, every other text
 * file searched line by line for credentials, and the privacy declarations compared with the
 * personal-data APIs the code uses (both lists from the runtime's API registry). The same package
 * always gives the same report. Review never runs guest code. Nothing here trusts the package:
 * signatures are not checked (the registry does that before reviewing).
 */
public final class PackageReview {
    /** Rule ids of pack/read failures start with this, followed by the {@link dev.capsule.core.pkg.Reason} code. */
    public static final String PACKAGE_RULE_PREFIX = "package.";

    /** A pack-check message is quoted up to this many characters. */
    static final int MESSAGE_CHARS_MAX = 300;

    /** The files reviewed as JavaScript: the runtime's modules. */
    static final String JS_SUFFIX = ".js";
    private static final String WX = "wx.";
    /** A file with a NUL byte this early is binary and not searched for credentials. */
    static final int TEXT_PROBE_BYTES = 8192;

    private PackageReview() {}

    /** Reviews a package that was read already; its archive is checked again against the default limits. */
    public static ReviewReport review(CapsulePackage pkg) {
        return analyse(pkg).report();
    }

    /**
     * The review's report and its data-minimization report, from one analysis.
     *
     * @param minimization empty when the package fails the pack checks (nothing else is analysed then)
     */
    public record Analysis(ReviewReport report, java.util.Optional<Minimization> minimization) {
        public Analysis {
            java.util.Objects.requireNonNull(report, "report");
            java.util.Objects.requireNonNull(minimization, "minimization");
        }
    }

    /**
     * Reviews a package that was read already, as {@link #review(CapsulePackage)}, and also answers the
     * {@link Minimization} report of the same privacy analysis (declared against used personal-data APIs).
     */
    public static Analysis analyse(CapsulePackage pkg) {
        try {
            PackageReader.read(pkg.archive(), PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            return new Analysis(failed(e), java.util.Optional.empty());
        }
        PackageScan scan = new PackageScan(pkg.manifest());
        for (String path : pkg.paths()) {
            byte[] data = pkg.file(path);
            if (path.endsWith(JS_SUFFIX)) {
                ScriptReview.review(path, new String(data, StandardCharsets.UTF_8), scan);
            } else if (isText(data)) {
                credentialsInText(path, new String(data, StandardCharsets.UTF_8), scan);
            }
        }
        privacy(pkg, scan);
        view(pkg, scan);
        return new Analysis(ReviewReport.of(scan.findings().list()), java.util.Optional.of(minimization(pkg, scan)));
    }

    /** The minimization report of the privacy analysis {@link #privacy} made: the same declared names, the same uses. */
    private static Minimization minimization(CapsulePackage pkg, PackageScan scan) {
        Set<String> declared = new TreeSet<>();
        List<Minimization.Declared> declarations = pkg.manifest().privacy().stream().map(d -> new Minimization.Declared(d.data(), d.purpose(),
                d.apis().stream().map(api -> {
                    String name = api.startsWith(WX) ? api.substring(WX.length()) : api;
                    declared.add(name);
                    return new Minimization.DeclaredApi(WX + name, used(name, scan));
                }).toList())).toList();
        List<Minimization.Used> undeclared = scan.uses().keySet().stream().filter(api -> !declared.contains(api))
                .map(api -> used(api, scan)).toList();
        return new Minimization(declarations, undeclared);
    }

    private static Minimization.Used used(String api, PackageScan scan) {
        List<PackageScan.Use> uses = scan.uses().get(api);
        if (uses == null || uses.isEmpty()) {
            return null;
        }
        return new Minimization.Used(WX + api, uses.size(), uses.getFirst().path(), uses.getFirst().line());
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
     * Reviews a .capsule file, read with the size bound every reader applies.
     *
     * @throws IOException if the file cannot be read
     */
    public static ReviewReport reviewFile(Path file) throws IOException {
        byte[] archive;
        try {
            archive = PackageFiles.readArchive(file, PackageLimits.DEFAULTS);
        } catch (PackageException e) {
            return failed(e);
        }
        return review(archive);
    }

    /**
     * Reviews a source directory as {@code capsule pack} would build it (MiniProgramBuild: the same
     * files, ES modules compiled, the same checks): the review sees the code that would run.
     *
     * @throws IOException if the directory cannot be read
     */
    public static ReviewReport reviewDirectory(Path dir) throws IOException {
        byte[] archive;
        try {
            archive = MiniProgramBuild.build(dir, PackageLimits.DEFAULTS).archive();
        } catch (PackageException e) {
            return failed(e);
        } catch (BuildException e) {
            return ReviewReport.of(List.of(Rule.PACKAGE_BUILD.at(e.path(), e.line(),
                    "the directory does not build: " + SafeText.escape(e.getMessage(), MESSAGE_CHARS_MAX) + " (fix it and pack again)")));
        }
        return review(archive);
    }

    /** The view compiles as {@code capsule pack} and a session compile it (one {@link ViewPackage#compile}). */
    private static void view(CapsulePackage pkg, PackageScan scan) {
        try {
            ViewPackage.of(pkg);
        } catch (WxmlException e) {
            scan.findings().add(Rule.VIEW_COMPILE, e.path(), e.line(), SafeText.escape(e.getMessage(), MESSAGE_CHARS_MAX));
        } catch (WxssException e) {
            scan.findings().add(Rule.VIEW_COMPILE, e.path(), e.line(), SafeText.escape(e.getMessage(), MESSAGE_CHARS_MAX));
        }
    }

    /**
     * Every use of a personal-data API needs a declaration with a purpose; every declaration needs a
     * use (minimization). Both lists come from the runtime's API registry and capsule.json.
     */
    private static void privacy(CapsulePackage pkg, PackageScan scan) {
        Set<String> declared = new TreeSet<>();
        pkg.manifest().privacy().forEach(d -> d.apis().forEach(api -> declared.add(api.startsWith(WX) ? api.substring(WX.length()) : api)));
        scan.uses().forEach((api, uses) -> {
            if (!declared.contains(api)) {
                for (PackageScan.Use use : uses) {
                    scan.findings().add(Rule.PRIVACY_UNDECLARED, use.path(), use.line(), WX + api
                            + " is used, but capsule.json's privacy section declares no purpose for it (the runtime denies the call)");
                }
            }
        });
        String manifestText = new String(pkg.file(CapsuleManifestParser.FILE_NAME), StandardCharsets.UTF_8);
        for (String api : declared) {
            if (!scan.uses().containsKey(api)) {
                scan.findings().add(Rule.PRIVACY_UNUSED, CapsuleManifestParser.FILE_NAME, lineOf(manifestText, "\"" + WX + api + "\""),
                        WX + Finding.quote(api) + " is declared in privacy but the code never uses it: collect no more than needed, remove the declaration");
            }
        }
    }

    /** True unless the file looks binary (a NUL byte in its first {@link #TEXT_PROBE_BYTES} bytes). */
    private static boolean isText(byte[] data) {
        for (int i = 0; i < Math.min(data.length, TEXT_PROBE_BYTES); i++) {
            if (data[i] == 0) {
                return false;
            }
        }
        return true;
    }

    /** Credentials in a file that is not JavaScript (config JSON, templates, notes), line by line. */
    private static void credentialsInText(String path, String text, PackageScan scan) {
        int line = 0;
        for (String l : (Iterable<String>) text.lines()::iterator) {
            line++;
            Signals.Shape shape = Signals.credential(l);
            if (shape != null) {
                scan.findings().add(shape.rule(), path, line, shape.rule().meaning().replace("`", "") + " in a package file: anyone can extract it");
            }
        }
    }

    /** The 1-based line of the first {@code needle} in {@code text}, or 0 if absent. */
    private static int lineOf(String text, String needle) {
        int at = text.indexOf(needle);
        return at < 0 ? 0 : (int) text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
    }

    private static ReviewReport failed(PackageException e) {
        return ReviewReport.of(List.of(new Finding(PACKAGE_RULE_PREFIX + e.reason().code(), Severity.CRITICAL, null, 0,
                "the package fails the pack checks: " + SafeText.escape(e.getMessage(), MESSAGE_CHARS_MAX) + " (fix it and pack again)")));
    }
}
