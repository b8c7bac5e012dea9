package dev.capsule.core.osv;

import java.util.Objects;

/** Whether one package version is affected by one advisory ({@link AffectedCheck}). */
public sealed interface Verdict {
    /**
     * The version lies in a range or is listed in {@code versions}.
     *
     * @param fixedVersion the lowest version that leaves every range this version is in (the version to upgrade
     *     to), or null when no {@code fixed} event says so ({@code last_affected}, {@code limit}, or a
     *     {@code versions} listing only)
     */
    record Affected(String fixedVersion) implements Verdict {}

    /** Not in any range or listing, or the advisory is withdrawn. */
    record NotAffected() implements Verdict {}

    /**
     * Not decidable: a range's ordering is unknown to Capsule or a version does not parse in it. Callers must not
     * read this as "not affected" (fail closed).
     */
    record Undetermined(String reason) implements Verdict {
        public Undetermined {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
