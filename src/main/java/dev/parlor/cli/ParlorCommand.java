package dev.parlor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "parlor",
    mixinStandardHelpOptions = true,
    // --help (and --version) on every subcommand too
    scope = CommandLine.ScopeType.INHERIT,
    description = "Self-hosted Whereby REST API v1.",
    subcommands = {ServeCommand.class, OrgCommand.class, KeyCommand.class})
public final class ParlorCommand {
  private ParlorCommand() {}

  public static CommandLine commandLine() {
    return new CommandLine(new ParlorCommand());
  }
}
