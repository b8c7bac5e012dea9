package dev.capsule.server.host.internal;

import java.util.Base64;

/** A valid 1×1 PNG, for fixture mini-programs that show a package image. */
final class Base64Png {
    static final byte[] BYTES = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    private Base64Png() {}
}
