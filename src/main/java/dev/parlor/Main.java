package dev.parlor;

import dev.parlor.cli.ParlorCommand;
import dev.parlor.config.ConfigException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = ParlorCommand.commandLine();
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
          }
          throw e;
        });
    int code = cli.execute(args);
    if (code != 0 || !"serve".equals(args.length > 0 ? args[0] : "")) {
      System.exit(code);
    }
  }
}
