package dev.capsule.core.osv;

/** {@code affected[].ranges[].type}: how the versions in a range's events are ordered. */
public enum RangeType {
    /** SemVer 2.0.0 precedence (semver.org §11), no "v" prefix. */
    SEMVER,
    /** The ecosystem's own ordering; Capsule knows npm's (node-semver). */
    ECOSYSTEM,
    /** Commit hashes ordered by ancestry: not evaluable without the repository (the schema requires a {@code versions} list too). */
    GIT
}
