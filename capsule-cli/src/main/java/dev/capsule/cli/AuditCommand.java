package dev.capsule.cli;

import picocli.CommandLine.Command;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = {"Verify or export a Capsule server's tamper-evident audit log, without trusting the server.",
            "See docs/audit.md."},
        subcommands = {AuditVerifyCommand.class, AuditExportCommand.class})
final class AuditCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "missing subcommand: verify or export");
    }
}
