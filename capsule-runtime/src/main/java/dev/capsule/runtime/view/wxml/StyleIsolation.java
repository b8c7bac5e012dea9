package dev.capsule.runtime.view.wxml;

/** A component's {@code styleIsolation} as WeChat spells it in json or {@code options}. */
public enum StyleIsolation {
    ISOLATED("isolated"), APPLY_SHARED("apply-shared"), SHARED("shared"), PAGE_ISOLATED("page-isolated"),
    PAGE_APPLY_SHARED("page-apply-shared"), PAGE_SHARED("page-shared");

    private final String wire;

    StyleIsolation(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static java.util.Optional<StyleIsolation> of(String wire) {
        for (StyleIsolation s : values()) {
            if (s.wire.equals(wire)) {
                return java.util.Optional.of(s);
            }
        }
        return java.util.Optional.empty();
    }
}
