package dev.capsule.runtime.internal.view;

/** What happened to a {@code relations} link between two instances (WeChat's linked/linkChanged/unlinked). */
public enum RelationChange {
    LINKED,
    LINK_CHANGED,
    UNLINKED
}
