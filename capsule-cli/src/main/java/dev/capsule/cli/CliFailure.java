package dev.capsule.cli;

import dev.capsule.core.text.SafeText;

/** Ends a command with one line on stderr (escaped: it may quote file names) and an exit code ({@link ExitCode}). */
final class CliFailure extends Exception {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    CliFailure(int exitCode, String message) {
        super(SafeText.escape(message));
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCode.USAGE, message);
    }

    static CliFailure rejected(String message) {
        return new CliFailure(ExitCode.REJECTED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
