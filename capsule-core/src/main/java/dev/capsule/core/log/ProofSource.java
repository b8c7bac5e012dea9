package dev.capsule.core.log;

import java.io.IOException;
import java.util.List;

/** A log server's proof answers, checked by {@link LogVerifier} against the signed roots, never trusted. */
public interface ProofSource {
    /** The server's inclusion proof of entry {@code index} in the tree of {@code size} entries. */
    List<byte[]> inclusionProof(long index, long size) throws IOException, LogFormatException;

    /** The server's consistency proof between the trees of {@code from} and {@code to} entries. */
    List<byte[]> consistencyProof(long from, long to) throws IOException, LogFormatException;
}
