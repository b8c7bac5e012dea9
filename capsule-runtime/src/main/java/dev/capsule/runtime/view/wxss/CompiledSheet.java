package dev.capsule.runtime.view.wxss;

import java.util.List;
import java.util.Objects;

/**
 * One compiled stylesheet ({@code app}, a page's or a component's), its {@code @import}s inlined.
 *
 * <p>Security guarantees: {@link #css()} is written by Capsule from the parsed model, never copied
 * from the input; every selector compound carries {@link #scopeClass()} (or the host class derived
 * from it), so no rule matches an element that does not carry a Capsule scope class; the only
 * {@code url()}s in it are package asset paths listed in {@link #assets()}.
 *
 * @param path the stylesheet's package path without extension ({@code pages/index/index})
 * @param scopeClass {@link StyleSet#scopeClass(String)} of {@code path}
 * @param css the compiled CSS, package assets written as {@code url("/path/in/package.png")}
 * @param assets the package paths its {@code url()}s name, in order of first use (no duplicates)
 */
public record CompiledSheet(String path, String scopeClass, String css, List<String> assets) {
    public CompiledSheet {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(scopeClass, "scopeClass");
        Objects.requireNonNull(css, "css");
        assets = List.copyOf(assets);
    }
}
