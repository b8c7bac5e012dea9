package dev.capsule.runtime.view.wxml;

/** A {@code wx:key}: {@code *this} (the item itself) or a field of each item. */
public sealed interface TKey {
    /** {@code wx:key="*this"}. */
    record Self() implements TKey {
    }

    /** {@code wx:key="field"}: the item's property of that name (WeChat reads one property, not a path). */
    record Field(String name) implements TKey {
        public Field {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a key field has a name");
            }
        }
    }
}
