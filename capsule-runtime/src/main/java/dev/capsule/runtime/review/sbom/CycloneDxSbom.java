package dev.capsule.runtime.review.sbom;

import dev.capsule.core.pkg.CapsulePackage;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.cyclonedx.Version;
import org.cyclonedx.exception.GeneratorException;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Evidence;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.component.evidence.Occurrence;

/**
 * Writes a package's components as a CycloneDX 1.6 JSON SBOM with the CycloneDX Java library. The document is
 * deterministic (its digest goes into the release log): no time stamp, and a serial number derived from the package's
 * digest manifest, so the same package always gives the same bytes.
 */
final class CycloneDxSbom {
    static final Version VERSION = Version.VERSION_16;
    /** Property on each component: whether capsule.json declares it. */
    static final String DECLARED_PROPERTY = "capsule:declared";

    private CycloneDxSbom() {}

    static byte[] write(CapsulePackage pkg, List<SbomComponent> components) {
        Bom bom = new Bom();
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(pkg.digestManifestSha256().hex().getBytes(StandardCharsets.UTF_8)));
        Metadata metadata = new Metadata();
        metadata.setTimestamp(null); // the library stamps "now"; the document must not depend on when it was written
        Component app = new Component();
        app.setType(Component.Type.APPLICATION);
        app.setName(pkg.manifest().id());
        app.setVersion(pkg.manifest().version());
        app.setBomRef(pkg.manifest().id() + "@" + pkg.manifest().version());
        metadata.setComponent(app);
        bom.setMetadata(metadata);
        for (SbomComponent c : components) {
            Component component = new Component();
            component.setType(Component.Type.LIBRARY);
            component.setName(c.name());
            component.setVersion(c.version());
            component.setPurl(c.purl());
            component.setBomRef(c.purl());
            Property declared = new Property();
            declared.setName(DECLARED_PROPERTY);
            declared.setValue(Boolean.toString(c.declared()));
            component.addProperty(declared);
            if (!c.evidence().isEmpty()) {
                Evidence evidence = new Evidence();
                for (SbomComponent.Evidence e : c.evidence()) {
                    Occurrence occurrence = new Occurrence();
                    occurrence.setLocation(e.path());
                    if (e.line() > 0) {
                        occurrence.setLine(e.line());
                    }
                    evidence.addOccurrence(occurrence);
                }
                component.setEvidence(evidence);
            }
            bom.addComponent(component);
        }
        try {
            return BomGeneratorFactory.createJson(VERSION, bom).toJsonString().getBytes(StandardCharsets.UTF_8);
        } catch (GeneratorException e) {
            // Every value above is a validated string; the generator has nothing to fail on.
            throw new IllegalStateException("CycloneDX generation failed", e);
        }
    }
}
