package dev.capsule.cli;

import picocli.CommandLine.Command;

@Command(name = "releases", mixinStandardHelpOptions = true,
        description = {"Check a Capsule platform's public release transparency log from outside, without trusting the server.",
            "See docs/releases.md."},
        subcommands = {ReleasesVerifyCommand.class})
final class ReleasesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify");
    }
}
