package dev.capsule.core.pkg;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One walk of a source directory deciding, for each file and folder, whether WeChat's tools would
 * upload it. The rules, first match wins: a hidden name ('.' first); a {@code node_modules} folder;
 * the {@code cloudfunctionRoot} folder; {@code packOptions.ignore} (all from {@link ProjectConfig}); a file type not on the upload
 * whitelist (a {@code .ts} source is taken, to be compiled, only when the project enables WeChat's TypeScript plugin). A folder left out is one {@link LeftOut} (its path ends in '/'), never walked.
 */
record SourceWalk(SortedMap<String, Path> files, List<LeftOut> leftOut) {
    /** Left-out entries a walk reports before giving up: a directory that is mostly not a mini-program is a mistake. */
    static final int LEFT_OUT_MAX = 10_000;
    static final String NODE_MODULES = "node_modules";

    static SourceWalk walk(Path root, ProjectConfig project, PackageLimits limits) throws IOException, PackageException {
        var files = new TreeMap<String, Path>(PackagePaths.ORDER);
        List<LeftOut> leftOut = new ArrayList<>();
        PackageException[] problem = new PackageException[1];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                if (d.equals(root)) {
                    return FileVisitResult.CONTINUE;
                }
                String name = relativeName(root, d) + "/";
                try {
                    LeftOut.Why why = hidden(d) ? LeftOut.Why.HIDDEN
                            : d.getFileName().toString().equals(NODE_MODULES) ? LeftOut.Why.NODE_MODULES
                            : project.isCloudFunctionRoot(name) ? LeftOut.Why.CLOUD_FUNCTIONS
                            : project.ignore().ignores(name) ? LeftOut.Why.IGNORED
                            : null;
                    if (why == null) {
                        if (name.equals(PackagePaths.METADATA_PREFIX)) {
                            throw new PackageException(Reason.UNSAFE_PATH, "the folder " + PackagePaths.METADATA_PREFIX
                                    + " is reserved for Capsule's metadata; rename it or list it in packOptions.ignore");
                        }
                        return FileVisitResult.CONTINUE;
                    }
                    leaveOut(name, why);
                    return FileVisitResult.SKIP_SUBTREE;
                } catch (PackageException e) {
                    problem[0] = e;
                    return FileVisitResult.TERMINATE;
                }
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                String name = relativeName(root, f);
                try {
                    LeftOut.Why why = hidden(f) ? LeftOut.Why.HIDDEN
                            : project.ignore().ignores(name) ? LeftOut.Why.IGNORED
                            : attrs.isRegularFile() ? fileType(f.getFileName().toString(), project) : null;
                    if (why != null) {
                        leaveOut(name, why);
                        return FileVisitResult.CONTINUE;
                    }
                    check(name, attrs);
                } catch (PackageException e) {
                    problem[0] = e;
                    return FileVisitResult.TERMINATE;
                }
                files.put(name, f);
                return FileVisitResult.CONTINUE;
            }

            private void leaveOut(String name, LeftOut.Why why) throws PackageException {
                if (leftOut.size() >= LEFT_OUT_MAX) {
                    throw new PackageException(Reason.TOO_MANY_ENTRIES, "more than " + LEFT_OUT_MAX
                            + " files and folders left out; is this the mini-program's folder? (packOptions.ignore can leave out whole folders)");
                }
                leftOut.add(new LeftOut(name, why));
            }

            private void check(String name, BasicFileAttributes attrs) throws PackageException {
                if (!attrs.isRegularFile()) {
                    throw new PackageException(Reason.NOT_REGULAR_FILE, "'" + PackagePaths.printable(name) + "' is "
                            + (attrs.isSymbolicLink() ? "a symbolic link" : "not a regular file") + "; packages hold regular files only");
                }
                if (name.startsWith(PackagePaths.METADATA_PREFIX)) {
                    throw new PackageException(Reason.UNSAFE_PATH, "'" + PackagePaths.printable(name) + "' uses the reserved folder "
                            + PackagePaths.METADATA_PREFIX);
                }
                if (attrs.size() > limits.fileBytesMax()) {
                    throw new PackageException(Reason.FILE_TOO_LARGE, "'" + PackagePaths.printable(name) + "' is " + attrs.size()
                            + " bytes; the limit is " + limits.fileBytesMax());
                }
                if (files.size() >= limits.entriesMax() - Packer.RESERVED_ENTRIES) {
                    throw new PackageException(Reason.TOO_MANY_ENTRIES, "more than " + (limits.entriesMax() - Packer.RESERVED_ENTRIES)
                            + " files to pack (" + Packer.RESERVED_ENTRIES + " of the " + limits.entriesMax()
                            + " entries are kept for the manifest and signatures)");
                }
                PackagePaths.check(name);
            }
        });
        if (problem[0] != null) {
            throw problem[0];
        }
        leftOut.sort((a, b) -> PackagePaths.ORDER.compare(a.path(), b.path()));
        return new SourceWalk(files, leftOut);
    }

    /**
     * Null if a file of this name is taken (on the upload whitelist, or a {@code .ts} source when the project enables
     * WeChat's TypeScript plugin: a source the build compiles to {@code .js}); otherwise why it is left out.
     */
    private static LeftOut.Why fileType(String fileName, ProjectConfig project) {
        if (UploadFileTypes.typeDeclarations(fileName)) {
            return LeftOut.Why.TYPE_DECLARATIONS;
        }
        if (UploadFileTypes.typescript(fileName)) {
            return project.typescript() ? null : LeftOut.Why.TYPESCRIPT_OFF;
        }
        return UploadFileTypes.uploaded(fileName) ? null : LeftOut.Why.FILE_TYPE;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static String relativeName(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
