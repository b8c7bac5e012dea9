package dev.capsule.runtime.storage;

import java.io.IOException;

/** A stored blob is larger than anything Capsule writes there, so it was not read. */
public final class OversizeBlobException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long sizeBytes;

    /** @param sizeBytes the stored blob's size, as the store knows it without reading it */
    public OversizeBlobException(long sizeBytes) {
        super("stored blob is larger than allowed");
        this.sizeBytes = sizeBytes;
    }

    public long sizeBytes() {
        return sizeBytes;
    }
}
