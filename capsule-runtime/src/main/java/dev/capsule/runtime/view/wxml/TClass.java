package dev.capsule.runtime.view.wxml;

/**
 * The {@code class} attribute. Its evaluated text is split on white space into class tokens by the
 * engine (which checks and scopes them); kept as its own type so class handling has one place to grow.
 */
public record TClass(Binding value) {
    public TClass {
        java.util.Objects.requireNonNull(value, "value");
    }
}
