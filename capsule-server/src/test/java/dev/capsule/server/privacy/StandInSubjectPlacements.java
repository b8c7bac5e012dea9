package dev.capsule.server.privacy;

import dev.capsule.server.platform.RegionId;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * TEMPORARY, test code only: the {@link SubjectPlacements} every test context gets until the host module provides the
 * real one (which places a person at their first sign-in). It lives in {@code dev.capsule.server} on purpose, so the
 * application's component scan finds it in every test context (the privacy module requires a placements bean); once
 * the host's implementation exists, the two beans clash and every context refuses to start: delete this class then,
 * and place people in {@code RegionalRequestsTest} the host's way.
 *
 * <p>People a test placed are in the region it named; everyone else was never placed.
 */
@Component
public class StandInSubjectPlacements implements SubjectPlacements {
    private final Map<DataSubject, RegionId> placed = new ConcurrentHashMap<>();

    /** Places {@code subject} in {@code region} (a test's stand-in for their first sign-in there). */
    public void place(DataSubject subject, RegionId region) {
        placed.put(Objects.requireNonNull(subject, "subject"), Objects.requireNonNull(region, "region"));
    }

    @Override
    public Optional<RegionId> regionOf(DataSubject subject) {
        return Optional.ofNullable(placed.get(subject));
    }
}
