package dev.capsule.cli;

import picocli.CommandLine.Command;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Reports for auditors. See docs/compliance.md."},
        subcommands = {ReportMasvsCommand.class})
final class ReportCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: masvs");
    }
}
