package dev.capsule.core.osv;

/** OSV ecosystem names Capsule evaluates (the schema's "Defined ecosystems" table spells them). */
public final class Ecosystems {
    /** The npm registry; versions ordered by node-semver. */
    public static final String NPM = "npm";

    private Ecosystems() {}
}
