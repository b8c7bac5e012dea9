package dev.capsule.server.privacy;

import dev.capsule.server.platform.RegionId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the platform holds about one person, as their export gives it: one section per holder. The JSON form
 * is {@link #json()} (format {@code capsule-privacy-export/1}, docs/privacy.md); a page renders the same values.
 *
 * @param request     the export request
 * @param generatedAt when it was made
 * @param erasedAt    when the person's data was last erased, if it was (what follows is only what was held since)
 * @param residency   where the person's data is stored (the JSON's {@code residency}); empty only for an export made
 *                    before the platform recorded it
 * @param sections    one per holder, in holder-name order
 * @param json        the JSON document, exactly as downloaded
 */
public record PrivacyExport(PrivacyRequestId request, Instant generatedAt, Optional<Instant> erasedAt, Optional<Residence> residency,
        List<HeldData> sections, byte[] json) {
    public static final String FORMAT = "capsule-privacy-export/1";

    /**
     * Where the person's data lives (docs/residency.md).
     *
     * @param region   the region the person is placed in, whose database holds their data
     * @param location that database's location as the platform describes it (never credentials)
     * @param home     the installation's home region
     */
    public record Residence(RegionId region, String location, RegionId home) {
        public Residence {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(home, "home");
        }
    }

    public PrivacyExport {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(erasedAt, "erasedAt");
        Objects.requireNonNull(residency, "residency");
        sections = List.copyOf(sections);
        json = json.clone();
    }

    @Override
    public byte[] json() {
        return json.clone();
    }
}
