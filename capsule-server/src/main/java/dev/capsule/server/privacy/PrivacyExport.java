package dev.capsule.server.privacy;

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
 * @param sections    one per holder, in holder-name order
 * @param json        the JSON document, exactly as downloaded
 */
public record PrivacyExport(PrivacyRequestId request, Instant generatedAt, Optional<Instant> erasedAt, List<HeldData> sections,
        byte[] json) {
    public static final String FORMAT = "capsule-privacy-export/1";

    public PrivacyExport {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(generatedAt, "generatedAt");
        Objects.requireNonNull(erasedAt, "erasedAt");
        sections = List.copyOf(sections);
        json = json.clone();
    }

    @Override
    public byte[] json() {
        return json.clone();
    }
}
