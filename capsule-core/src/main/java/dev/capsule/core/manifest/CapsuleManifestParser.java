package dev.capsule.core.manifest;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import dev.capsule.core.text.SafeText;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Validates capsule.json strictly (spec §1): every field checked, unknown fields rejected by name,
 * so a typo can never silently weaken policy ({@code "requests"} instead of {@code "request"} is an
 * error, not an empty allowlist).
 */
public final class CapsuleManifestParser {
    public static final String FILE_NAME = "capsule.json";
    /** A manifest is a few hundred bytes; 64 KiB is generous. */
    public static final int FILE_BYTES_MAX = 64 * 1024;
    static final int HOSTS_PER_LIST_MAX = 64;
    static final int PRIVACY_ENTRIES_MAX = 32;
    static final int DEPENDENCIES_MAX = 512;
    static final int TEXT_CHARS_MAX = 200;
    /** The personal-data APIs Capsule provides (spec §3); only these can be declared. */
    public static final Set<String> PRIVACY_APIS = Set.of("wx.getLocation", "wx.getUserProfile", "wx.getUserInfo");
    /** Bundled-code ecosystems the vulnerability scan understands. */
    public static final Set<String> ECOSYSTEMS = Set.of("npm");

    private static final Set<String> TOP_FIELDS = Set.of("id", "version", "name", "developer", "network", "privacy", "dependencies",
            "minRuntime");
    private static final Set<String> NETWORK_FIELDS = Set.of("request", "uploadFile", "downloadFile", "connectSocket");

    private CapsuleManifestParser() {}

    /** Parses and validates capsule.json bytes. */
    public static CapsuleManifest parse(byte[] json) throws ManifestException {
        try {
            return parse(StrictJson.parseObject(json, FILE_NAME, FILE_BYTES_MAX));
        } catch (JsonFormatException e) {
            throw new ManifestException(e.getMessage());
        }
    }

    private static CapsuleManifest parse(JsonObject root) throws JsonFormatException {
        root.rejectUnknownFields(TOP_FIELDS);
        String id = root.requireString("id");
        if (id.length() > CapsuleManifest.ID_CHARS_MAX || !CapsuleManifest.ID.matcher(id).matches()) {
            throw root.at("id", "'" + id + "' must be reverse-DNS in lower case, like com.example.app");
        }
        String version = root.requireString("version");
        if (version.length() > CapsuleManifest.VERSION_CHARS_MAX || !CapsuleManifest.SEMVER.matcher(version).matches()) {
            throw root.at("version", "'" + version + "' must be a semantic version, like 1.2.0");
        }
        String name = text(root, "name");
        JsonObject dev = root.requireObject("developer");
        dev.rejectUnknownFields(Set.of("id", "name"));
        var developer = new CapsuleManifest.Developer(text(dev, "id"), text(dev, "name"));
        return new CapsuleManifest(id, version, name, developer, network(root), privacy(root), dependencies(root), minRuntime(root));
    }

    /** The runtime version the package needs at least (a runtime below it refuses to launch it); absent: any. */
    private static Optional<SemanticVersion> minRuntime(JsonObject root) throws JsonFormatException {
        if (!root.has("minRuntime")) {
            return Optional.empty();
        }
        String text = root.requireString("minRuntime");
        if (!SemanticVersion.isValid(text)) {
            throw root.at("minRuntime", "'" + text + "' must be a semantic version, like 0.4.0");
        }
        return Optional.of(SemanticVersion.parse(text));
    }

    private static String text(JsonObject object, String field) throws JsonFormatException {
        String value = object.requireString(field);
        if (value.isBlank()) {
            throw object.at(object.child(field), "must not be empty");
        }
        if (value.length() > TEXT_CHARS_MAX) {
            throw object.at(object.child(field), "longer than " + TEXT_CHARS_MAX + " characters");
        }
        if (value.codePoints().anyMatch(SafeText::isUnsafe)) {
            throw object.at(object.child(field), "must not contain control, invisible or unassigned characters");
        }
        if (value.codePoints().noneMatch(Character::isLetterOrDigit)) {
            throw object.at(object.child(field), "must contain a letter or digit");
        }
        return value;
    }

    private static CapsuleManifest.Network network(JsonObject root) throws JsonFormatException {
        JsonObject network = root.optionalObject("network");
        if (network == null) {
            return CapsuleManifest.Network.NONE;
        }
        network.rejectUnknownFields(NETWORK_FIELDS);
        return new CapsuleManifest.Network(
                hosts(network, "request"), hosts(network, "uploadFile"), hosts(network, "downloadFile"), hosts(network, "connectSocket"));
    }

    private static List<HostName> hosts(JsonObject network, String field) throws JsonFormatException {
        List<String> entries = network.optionalStrings(field, HOSTS_PER_LIST_MAX);
        List<HostName> hosts = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            String where = network.child(field) + "[" + i + "]";
            HostName host;
            try {
                host = HostName.parse(entries.get(i));
            } catch (IllegalArgumentException e) {
                throw network.at(where, "'" + entries.get(i) + "': " + e.getMessage());
            }
            if (hosts.contains(host)) {
                throw network.at(where, "'" + entries.get(i) + "' is listed twice");
            }
            hosts.add(host);
        }
        return hosts;
    }

    private static List<CapsuleManifest.PrivacyDeclaration> privacy(JsonObject root) throws JsonFormatException {
        List<JsonNode> items = root.optionalArray("privacy", PRIVACY_ENTRIES_MAX);
        List<CapsuleManifest.PrivacyDeclaration> declarations = new ArrayList<>(items.size());
        Set<String> declaredApis = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonObject entry = JsonObject.element(items.get(i), root, "privacy", i);
            entry.rejectUnknownFields(Set.of("data", "apis", "purpose"));
            String data = text(entry, "data");
            if (!entry.has("purpose")) {
                throw entry.error("every privacy entry needs a purpose, shown to the user when consent is asked");
            }
            String purpose = text(entry, "purpose");
            List<String> apis = entry.optionalStrings("apis", PRIVACY_APIS.size());
            if (apis.isEmpty()) {
                throw entry.at(entry.child("apis"), "must list at least one API");
            }
            for (String api : apis) {
                if (!PRIVACY_APIS.contains(api)) {
                    throw entry.at(entry.child("apis"), "'" + api + "' is not a personal-data API Capsule provides (known: "
                            + String.join(", ", PRIVACY_APIS.stream().sorted().toList()) + ")");
                }
                if (!declaredApis.add(api)) {
                    throw entry.at(entry.child("apis"), "'" + api + "' is declared twice");
                }
            }
            declarations.add(new CapsuleManifest.PrivacyDeclaration(data, apis, purpose));
        }
        return declarations;
    }

    private static List<CapsuleManifest.Dependency> dependencies(JsonObject root) throws JsonFormatException {
        List<JsonNode> items = root.optionalArray("dependencies", DEPENDENCIES_MAX);
        List<CapsuleManifest.Dependency> dependencies = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonObject entry = JsonObject.element(items.get(i), root, "dependencies", i);
            entry.rejectUnknownFields(Set.of("ecosystem", "name", "version"));
            String ecosystem = text(entry, "ecosystem");
            if (!ECOSYSTEMS.contains(ecosystem)) {
                throw entry.at(entry.child("ecosystem"), "'" + ecosystem + "' is not supported (supported: npm)");
            }
            dependencies.add(new CapsuleManifest.Dependency(ecosystem, text(entry, "name"), text(entry, "version")));
        }
        return dependencies;
    }
}
