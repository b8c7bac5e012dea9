package dev.capsule.runtime.view.wxss;

import java.util.List;

/**
 * Compiled CSS as Capsule wrote it: text, package assets still to be inlined, and declarations that
 * are dropped whole when one of their assets cannot be. Keeping assets apart is what lets
 * {@link StyleSet#css(List, AssetInliner)} substitute {@code data:} URIs without re-reading CSS text.
 */
sealed interface CssPiece {
    /** CSS text written by the compiler. */
    record Text(String css) implements CssPiece {
    }

    /** {@code url()} of a package file (path without a leading slash). */
    record Asset(String packagePath) implements CssPiece {
    }

    /** One declaration ({@code name:value}), dropped as a whole if an asset in it cannot be inlined. */
    record Declaration(List<CssPiece> parts) implements CssPiece {
        public Declaration {
            parts = List.copyOf(parts);
        }
    }
}
