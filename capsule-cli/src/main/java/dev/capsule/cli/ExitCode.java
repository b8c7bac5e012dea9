package dev.capsule.cli;

/** The CLI's exit codes; scripts rely on them. */
final class ExitCode {
    /** Done, or the package verified. */
    static final int OK = 0;
    /** Rejected: invalid package, bad signature, untrusted key, policy. */
    static final int REJECTED = 1;
    /** The command line was wrong: unknown option, missing or unreadable input file, bad key file. */
    static final int USAGE = 2;

    private ExitCode() {}
}
