package dev.capsule.runtime.storage;

import java.io.IOException;

/** A stored blob is larger than anything Capsule writes there, so it was not read. */
final class OversizeBlobException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long sizeBytes;

    OversizeBlobException(long sizeBytes) {
        super("stored blob is larger than allowed");
        this.sizeBytes = sizeBytes;
    }

    long sizeBytes() {
        return sizeBytes;
    }
}
