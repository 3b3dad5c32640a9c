package dev.parlor.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(
    name = "parlor",
    mixinStandardHelpOptions = true,
    // --help (and --version) on every subcommand too
    scope = CommandLine.ScopeType.INHERIT,
    description = "Self-hosted Whereby REST API v1.",
    versionProvider = ParlorCommand.Version.class,
    subcommands = {
      ServeCommand.class,
      OrgCommand.class,
      KeyCommand.class,
      RecordingCommand.class,
      WebhookCommand.class,
      TrainCommand.class
    })
public final class ParlorCommand {
  private ParlorCommand() {}

  /** The version from the jar's manifest; classes run outside the jar are a development build. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ParlorCommand.class.getPackage().getImplementationVersion();
      return new String[] {"parlor " + (v == null ? "(development build)" : v)};
    }
  }

  public static CommandLine commandLine() {
    return new CommandLine(new ParlorCommand());
  }
}
