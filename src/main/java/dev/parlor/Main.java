package dev.parlor;

import dev.parlor.cli.ParlorCommand;
import dev.parlor.config.ConfigException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;

public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Built-in backgrounds are drawn with Java2D: never look for a display, even if DISPLAY is set.
    System.setProperty("java.awt.headless", "true");
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = ParlorCommand.commandLine();
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          // Bad input or configuration: one line naming the problem, exit 2 (as usage errors).
          if (e instanceof IllegalArgumentException || e instanceof ConfigException) {
            cmd.getErr().println("error: " + e.getMessage());
            return 2;
          }
          // Anything else: the message first, then the details, on standard error; exit 1.
          cmd.getErr().println("error: " + e);
          e.printStackTrace(cmd.getErr());
          return 1;
        });
    int code = cli.execute(args);
    // A server that started returns 0 only once its shutdown hook has run: the JVM is already
    // exiting then, and System.exit would wait for that hook forever.
    if (code != 0 || !"serve".equals(args.length > 0 ? args[0] : "")) {
      System.exit(code);
    }
  }
}
