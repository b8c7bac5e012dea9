package dev.capsule.runtime.internal.view;

/**
 * The component lifetimes the view engine drives (WeChat's {@code lifetimes}); {@code created} runs
 * inside {@link ComponentHost#create}. Order per instance: ATTACHED (after its host element is in the
 * tree), READY (after its first render), MOVED (a keyed move in a {@code wx:for}), DETACHED (removal).
 */
public enum Lifetime {
    ATTACHED,
    READY,
    MOVED,
    DETACHED
}
