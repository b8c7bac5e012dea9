package dev.capsule.core.pkg;

/**
 * A file or folder of a source directory that {@link Packer#collectSources} did not pack, and why.
 * A folder left out whole is one entry whose path ends in '/'.
 *
 * @param path the path relative to the source directory, '/'-separated
 * @param why the rule that left it out
 */
public record LeftOut(String path, Why why) {
    public LeftOut {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("a left-out path is not empty");
        }
    }

    /** The rules that leave a source file out of a package, as WeChat's developer tools apply them at upload. */
    public enum Why {
        /** The name starts with '.' (.git, .env, …). */
        HIDDEN("hidden"),
        /** project.config.json's {@code packOptions.ignore} names it. */
        IGNORED("packOptions.ignore"),
        /** Its file type is not on WeChat's upload whitelist (.md, .less, LICENSE, …). */
        FILE_TYPE("file type not uploaded"),
        /**
         * A TypeScript source ({@code .ts}) while project.config.json's {@code setting.useCompilerPlugins} does not name
         * "typescript": WeChat's tools then neither compile nor upload it.
         */
        TYPESCRIPT_OFF("TypeScript not enabled in project.config.json setting.useCompilerPlugins"),
        /** A TypeScript declaration file ({@code .d.ts}): types only, nothing to run, never compiled or uploaded. */
        TYPE_DECLARATIONS("TypeScript declarations"),
        /** A node_modules folder: WeChat uploads only what its npm build put in miniprogram_npm. */
        NODE_MODULES("node_modules"),
        /** The cloud-function folder project.config.json's {@code cloudfunctionRoot} names: it is deployed apart, never uploaded. */
        CLOUD_FUNCTIONS("cloudfunctionRoot");

        private final String description;

        Why(String description) {
            this.description = description;
        }

        /** A short phrase for listings ({@code pack --list}). */
        public String description() {
            return description;
        }
    }

    /** The path escaped for printing. */
    public String printablePath() {
        return PackagePaths.printable(path);
    }
}
