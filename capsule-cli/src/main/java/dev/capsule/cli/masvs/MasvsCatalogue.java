package dev.capsule.cli.masvs;

import dev.capsule.core.json.JsonFormatException;
import dev.capsule.core.json.JsonObject;
import dev.capsule.core.json.StrictJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Capsule's MASVS catalogue: every control of OWASP MASVS {@value #MASVS_VERSION} with its status and evidence, read from
 * the resource {@value #RESOURCE} (data, not code) by strict rules: unknown fields, a missing or repeated control id, a
 * claim without tests or a gap without a reason are refused.
 *
 * <p>Security guarantees: the catalogue is the only source of what the report claims; a control can claim only tests
 * it names, and {@code MasvsCatalogueTest} fails the build when a named test class is not in the source tree.
 */
public record MasvsCatalogue(String version, String scope, List<MasvsControl> controls) {
    /** The catalogue's resource on the class path. */
    public static final String RESOURCE = "/dev/capsule/cli/masvs/masvs-controls.json";
    public static final String FORMAT = "capsule-masvs-catalogue/1";
    /** The MASVS version whose control list {@link #CONTROL_IDS} is. */
    public static final String MASVS_VERSION = "2.1.0";
    /** Every control of MASVS 2.1.0, in the standard's order. */
    public static final List<String> CONTROL_IDS = List.of(
            "MASVS-STORAGE-1", "MASVS-STORAGE-2",
            "MASVS-CRYPTO-1", "MASVS-CRYPTO-2",
            "MASVS-AUTH-1", "MASVS-AUTH-2", "MASVS-AUTH-3",
            "MASVS-NETWORK-1", "MASVS-NETWORK-2",
            "MASVS-PLATFORM-1", "MASVS-PLATFORM-2", "MASVS-PLATFORM-3",
            "MASVS-CODE-1", "MASVS-CODE-2", "MASVS-CODE-3", "MASVS-CODE-4",
            "MASVS-RESILIENCE-1", "MASVS-RESILIENCE-2", "MASVS-RESILIENCE-3", "MASVS-RESILIENCE-4",
            "MASVS-PRIVACY-1", "MASVS-PRIVACY-2", "MASVS-PRIVACY-3", "MASVS-PRIVACY-4");
    static final int BYTES_MAX = 256 * 1024;
    static final int TEXT_CHARS_MAX = 1_000;
    static final int ITEMS_MAX = 50;

    public MasvsCatalogue {
        controls = List.copyOf(controls);
        List<String> ids = controls.stream().map(MasvsControl::id).toList();
        Set<String> seen = new LinkedHashSet<>();
        for (String id : ids) {
            if (!seen.add(id)) {
                throw new IllegalArgumentException("control " + id + " is listed twice");
            }
        }
        for (String id : CONTROL_IDS) {
            if (!seen.contains(id)) {
                throw new IllegalArgumentException("control " + id + " is missing");
            }
        }
        if (!ids.equals(CONTROL_IDS)) {
            throw new IllegalArgumentException("controls are not in the standard's order, or one is not in MASVS " + MASVS_VERSION
                    + ": expected " + CONTROL_IDS);
        }
    }

    /** Capsule's own catalogue, from the class path. */
    public static MasvsCatalogue load() {
        try (InputStream in = MasvsCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the MASVS catalogue " + RESOURCE + " is not on the class path");
            }
            return parse(in.readNBytes(BYTES_MAX + 1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JsonFormatException e) {
            throw new IllegalStateException("the MASVS catalogue is invalid: " + e.getMessage(), e);
        }
    }

    /** A catalogue document; refused with a message naming the field or control. */
    public static MasvsCatalogue parse(byte[] json) throws JsonFormatException {
        JsonObject root = StrictJson.parseObject(json, "masvs-controls.json", BYTES_MAX);
        root.rejectUnknownFields(Set.of("format", "standard", "version", "scope", "controls"));
        if (!root.requireString("format").equals(FORMAT)) {
            throw root.at("format", "expected " + FORMAT);
        }
        if (!root.requireString("standard").equals("OWASP MASVS") || !root.requireString("version").equals(MASVS_VERSION)) {
            throw root.error("this code knows OWASP MASVS " + MASVS_VERSION + " only");
        }
        List<MasvsControl> controls = new ArrayList<>();
        List<JsonNode> items = root.requireArray("controls", ITEMS_MAX);
        for (int i = 0; i < items.size(); i++) {
            JsonObject item = JsonObject.element(items.get(i), root, "controls", i);
            controls.add(control(item));
        }
        try {
            return new MasvsCatalogue(root.requireString("version"), root.requireString("scope"), controls);
        } catch (IllegalArgumentException e) {
            throw root.error(e.getMessage());
        }
    }

    private static MasvsControl control(JsonObject item) throws JsonFormatException {
        item.rejectUnknownFields(Set.of("id", "statement", "status", "reason", "tests", "configuration", "logProofs"));
        String code = item.requireString("status");
        ControlStatus status = ControlStatus.ofCode(code)
                .orElseThrow(() -> item.at("status", "expected met, partly, not-met or not-applicable"));
        Optional<String> reason = item.has("reason") ? Optional.of(item.requireString("reason")) : Optional.empty();
        List<MasvsControl.LogProof> proofs = new ArrayList<>();
        List<JsonNode> proofItems = item.requireArray("logProofs", ITEMS_MAX);
        for (int i = 0; i < proofItems.size(); i++) {
            JsonObject proof = JsonObject.element(proofItems.get(i), item, "logProofs", i);
            proof.rejectUnknownFields(Set.of("event", "shows"));
            try {
                proofs.add(new MasvsControl.LogProof(proof.requireString("event"), proof.requireString("shows")));
            } catch (IllegalArgumentException e) {
                throw proof.error(e.getMessage());
            }
        }
        try {
            return new MasvsControl(item.requireString("id"), item.requireString("statement"), status, reason,
                    strings(item, "tests"), strings(item, "configuration"), proofs);
        } catch (IllegalArgumentException e) {
            throw item.error(e.getMessage());
        }
    }

    private static List<String> strings(JsonObject item, String field) throws JsonFormatException {
        if (!item.has(field)) {
            throw item.at(field, "missing");
        }
        return item.optionalStrings(field, ITEMS_MAX);
    }

    /** Every test class any control names, once each, in catalogue order. */
    public List<String> testClasses() {
        return controls.stream().flatMap(c -> c.tests().stream()).distinct().toList();
    }
}
