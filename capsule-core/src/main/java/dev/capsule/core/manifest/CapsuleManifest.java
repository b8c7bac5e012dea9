package dev.capsule.core.manifest;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The validated contents of capsule.json, the mini-program's security manifest (spec §1).
 * Instances exist only for manifests that pass every rule; {@link CapsuleManifestParser} builds them.
 *
 * @param minRuntime the lowest Capsule runtime version the package runs on ({@code "minRuntime"}, optional);
 *     a runtime below it refuses to launch the package
 */
public record CapsuleManifest(
        String id,
        String version,
        String name,
        Developer developer,
        Network network,
        List<PrivacyDeclaration> privacy,
        List<Dependency> dependencies,
        Optional<SemanticVersion> minRuntime) {

    /** Reverse-DNS, lower case, at least two labels: {@code com.example.todo}. */
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*(\\.[a-z0-9][a-z0-9-]*)+");
    static final int ID_CHARS_MAX = 128;
    /** Semantic Versioning 2.0.0, the regular expression published at semver.org. */
    static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)"
                    + "(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
                    + "(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?");
    static final int VERSION_CHARS_MAX = 64;

    /** Whether {@code id} is a valid capsule.json id (reverse-DNS, lower case, at most 128 characters). */
    public static boolean isValidId(String id) {
        return id != null && id.length() <= ID_CHARS_MAX && ID.matcher(id).matches();
    }

    public CapsuleManifest {
        Objects.requireNonNull(id, "id");
        if (id.length() > ID_CHARS_MAX || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("id must be reverse-DNS in lower case, like com.example.app");
        }
        if (version.length() > VERSION_CHARS_MAX || !SEMVER.matcher(version).matches()) {
            throw new IllegalArgumentException("version must be a semantic version, like 1.2.0");
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(developer, "developer");
        Objects.requireNonNull(network, "network");
        privacy = List.copyOf(privacy);
        dependencies = List.copyOf(dependencies);
        Objects.requireNonNull(minRuntime, "minRuntime");
    }

    /** A manifest that states no minimum runtime version. */
    public CapsuleManifest(String id, String version, String name, Developer developer, Network network, List<PrivacyDeclaration> privacy,
            List<Dependency> dependencies) {
        this(id, version, name, developer, network, privacy, dependencies, Optional.empty());
    }

    /** Who publishes the mini-program. */
    public record Developer(String id, String name) {
        public Developer {
            Objects.requireNonNull(id, "developer.id");
            Objects.requireNonNull(name, "developer.name");
        }
    }

    /** Exact hosts each network API may reach (spec §1, §3). Empty lists mean no network. */
    public record Network(List<HostName> request, List<HostName> uploadFile, List<HostName> downloadFile, List<HostName> connectSocket) {
        public static final Network NONE = new Network(List.of(), List.of(), List.of(), List.of());

        public Network {
            request = List.copyOf(request);
            uploadFile = List.copyOf(uploadFile);
            downloadFile = List.copyOf(downloadFile);
            connectSocket = List.copyOf(connectSocket);
        }
    }

    /** A personal-data category, the APIs that read it, and why (shown to the user). */
    public record PrivacyDeclaration(String data, List<String> apis, String purpose) {
        public PrivacyDeclaration {
            Objects.requireNonNull(data, "data");
            apis = List.copyOf(apis);
            if (purpose == null || purpose.isBlank()) {
                throw new IllegalArgumentException("every privacy entry needs a purpose");
            }
        }
    }

    /** Third-party code bundled in the package, for the vulnerability scan. */
    public record Dependency(String ecosystem, String name, String version) {
        public Dependency {
            Objects.requireNonNull(ecosystem, "ecosystem");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
        }
    }
}
