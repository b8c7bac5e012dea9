package dev.capsule.server.host.internal;

import dev.capsule.server.registry.MiniProgramId;
import java.util.Objects;

/**
 * A mini-program as the shell shows it: in the list, in the host's navigation bar and on the verified badge.
 * Every field comes from the platform (the released package's manifest, the registry's organisation), never from
 * guest code at run time.
 *
 * @param app               its id
 * @param name              its name (capsule.json)
 * @param version           the version this user gets
 * @param developer         the developer organisation's name
 * @param developerVerified whether the organisation is verified by the platform
 */
public record CatalogueEntry(MiniProgramId app, String name, String version, String developer, boolean developerVerified) {
    public CatalogueEntry {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(developer, "developer");
    }
}
