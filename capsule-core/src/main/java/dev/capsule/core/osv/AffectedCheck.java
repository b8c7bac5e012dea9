package dev.capsule.core.osv;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a package version is affected by an advisory, exactly as the OSV schema's "Evaluation" pseudocode
 * ({@code IsVulnerable}) does: affected when the version is listed in an {@code affected[].versions} entry for the
 * package or lies in any of its ranges. Within one range, {@code limit} events bound the range first (no limit means
 * "*"; the version must be below at least one limit); then the events, sorted by version ({@code introduced: "0"}
 * first, a {@code limit} containing "*" last, equal versions kept in document order), are replayed: {@code introduced
 * <= v} makes the version vulnerable, {@code fixed <= v} makes it not, {@code last_affected < v} makes it not.
 *
 * <p>Orderings: {@code SEMVER} ranges use SemVer 2.0.0 precedence; {@code ECOSYSTEM} ranges of {@code npm} use
 * node-semver's ordering; {@code ECOSYSTEM} ranges of other ecosystems are {@link Verdict.Undetermined}. {@code GIT}
 * ranges order commits, not versions: they are skipped, and the schema requires such advisories to enumerate
 * {@code versions}, which are matched. {@code versions} entries match by string equality, as the pseudocode says.
 *
 * <p>Security guarantees: a withdrawn advisory never matches; a version or event the range's ordering cannot read is
 * {@link Verdict.Undetermined}, never "not affected".
 */
public final class AffectedCheck {
    private AffectedCheck() {}

    public static Verdict check(Advisory advisory, PackageRef pkg, String version) {
        if (advisory.isWithdrawn()) {
            return new Verdict.NotAffected();
        }
        boolean affected = false;
        boolean fixKnown = true;
        String fixed = null;
        String undetermined = null;
        for (AffectedPackage entry : advisory.affected()) {
            if (!entry.pkg().samePackage(pkg)) {
                continue;
            }
            boolean listed = entry.versions().contains(version);
            boolean inRange = false;
            for (VersionRange range : entry.ranges()) {
                RangeResult result = evaluate(range, pkg.ecosystem(), version);
                switch (result) {
                    case RangeResult.In in -> {
                        inRange = true;
                        if (in.fixed() == null) {
                            fixKnown = false;
                        } else if (fixed == null || higher(range, pkg.ecosystem(), in.fixed(), fixed)) {
                            fixed = in.fixed();
                        }
                    }
                    case RangeResult.Out out -> { }
                    case RangeResult.Unknown unknown -> undetermined = undetermined == null ? unknown.reason() : undetermined;
                }
            }
            if (listed && !inRange) {
                fixKnown = false; // a listing says nothing about the fix
            }
            affected |= listed || inRange;
        }
        if (affected) {
            return new Verdict.Affected(fixKnown ? fixed : null);
        }
        return undetermined == null ? new Verdict.NotAffected() : new Verdict.Undetermined(undetermined);
    }

    private sealed interface RangeResult {
        record In(String fixed) implements RangeResult {}

        record Out() implements RangeResult {}

        record Unknown(String reason) implements RangeResult {}
    }

    /** A point on a range's axis: "0" below everything, a limit with "*" above everything, else a version. */
    private record Point(int rank, SemVer version) implements Comparable<Point> {
        static final Point ZERO = new Point(-1, null);
        static final Point INFINITY = new Point(1, null);

        @Override
        public int compareTo(Point other) {
            if (rank != 0 || other.rank != 0) {
                return Integer.compare(rank, other.rank);
            }
            return version.compareTo(other.version);
        }
    }

    private record Placed(RangeEvent event, Point point) {}

    private static RangeResult evaluate(VersionRange range, String ecosystem, String version) {
        if (range.type() == RangeType.GIT) {
            return new RangeResult.Out();
        }
        Optional<Point> at = point(range.type(), ecosystem, version);
        if (at.isEmpty()) {
            return new RangeResult.Unknown(unreadable(range.type(), ecosystem, "version", version));
        }
        Point v = at.get();
        List<Placed> events = new ArrayList<>(range.events().size());
        for (RangeEvent event : range.events()) {
            Optional<Point> p = event.isZero() ? Optional.of(Point.ZERO)
                    : event.isInfinity() ? Optional.of(Point.INFINITY) : point(range.type(), ecosystem, event.version());
            if (p.isEmpty()) {
                return new RangeResult.Unknown(unreadable(range.type(), ecosystem, event.kind().field(), event.version()));
            }
            events.add(new Placed(event, p.get()));
        }
        if (!beforeLimits(v, events)) {
            return new RangeResult.Out();
        }
        events.sort(Comparator.comparing(Placed::point)); // List.sort is stable: equal versions keep document order
        boolean vulnerable = false;
        for (Placed e : events) {
            int c = v.compareTo(e.point());
            switch (e.event().kind()) {
                case INTRODUCED -> vulnerable = c >= 0 || vulnerable;
                case FIXED -> vulnerable = c < 0 && vulnerable;
                case LAST_AFFECTED -> vulnerable = c <= 0 && vulnerable;
                case LIMIT -> { }
            }
        }
        if (!vulnerable) {
            return new RangeResult.Out();
        }
        // The fix to recommend: the first fixed event above the version (it ends the interval the version is in).
        for (Placed e : events) {
            if (e.event().kind() == RangeEvent.Kind.FIXED && v.compareTo(e.point()) < 0) {
                return new RangeResult.In(e.event().version());
            }
        }
        return new RangeResult.In(null);
    }

    private static boolean beforeLimits(Point v, List<Placed> events) {
        boolean anyLimit = false;
        for (Placed e : events) {
            if (e.event().kind() == RangeEvent.Kind.LIMIT) {
                anyLimit = true;
                if (v.compareTo(e.point()) < 0) {
                    return true;
                }
            }
        }
        return !anyLimit;
    }

    private static Optional<Point> point(RangeType type, String ecosystem, String version) {
        Optional<SemVer> parsed = switch (type) {
            case SEMVER -> SemVer.parseStrict(version);
            case ECOSYSTEM -> Ecosystems.NPM.equals(ecosystem) ? SemVer.parseNpm(version) : Optional.empty();
            case GIT -> Optional.empty();
        };
        return parsed.map(s -> new Point(0, s));
    }

    private static boolean higher(VersionRange range, String ecosystem, String a, String b) {
        Optional<Point> pa = point(range.type(), ecosystem, a);
        Optional<Point> pb = point(range.type(), ecosystem, b);
        return pa.isPresent() && pb.isPresent() && pa.get().compareTo(pb.get()) > 0;
    }

    private static String unreadable(RangeType type, String ecosystem, String what, String value) {
        if (type == RangeType.ECOSYSTEM && !Ecosystems.NPM.equals(ecosystem)) {
            return "no version ordering known for ecosystem '" + ecosystem + "'";
        }
        return what + " '" + value + "' is not a " + (type == RangeType.SEMVER ? "SemVer 2.0.0" : "node-semver") + " version";
    }
}
