package dev.capsule.core.log;

/** What {@link LogVerifier} concluded about a log. */
public sealed interface LogOutcome {
    /** One line for a user. */
    String message();

    /**
     * Every checkpoint was signed by a trusted key and matches the tree recomputed from the entries, which are
     * complete and in order up to {@code size}; {@code serverProofs} server proofs were also checked.
     */
    record Valid(String origin, long size, long checkpoints, long serverProofs) implements LogOutcome {
        @Override
        public String message() {
            return "log " + origin + " verified: " + size + " entries, " + checkpoints + " signed checkpoints"
                    + (serverProofs > 0 ? ", " + serverProofs + " server proofs" : "");
        }
    }

    /** The first problem found, in log order; nothing after it was checked. */
    record Tampered(Place place, String reason) implements LogOutcome {
        @Override
        public String message() {
            return place + ": " + reason;
        }
    }

    /** Where the first problem lies. */
    sealed interface Place {}

    /** Entry {@code index} (0-based). */
    record EntryPlace(long index) implements Place {
        @Override
        public String toString() {
            return "entry " + index;
        }
    }

    /** The {@code number}-th checkpoint of the source (1-based) with its size, or -1 when it could not be read. */
    record CheckpointPlace(long number, long size) implements Place {
        @Override
        public String toString() {
            return "checkpoint #" + number + (size >= 0 ? " (size " + size + ")" : "");
        }
    }

    /** The source itself (malformed export line, malformed server answer, missing checkpoints). */
    record SourcePlace(String where) implements Place {
        @Override
        public String toString() {
            return where;
        }
    }
}
