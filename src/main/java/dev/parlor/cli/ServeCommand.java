package dev.parlor.cli;

import ch.qos.logback.classic.LoggerContext;
import dev.parlor.App;
import dev.parlor.config.AppConfig;
import dev.parlor.orgs.OrganizationService;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(name = "serve", description = "Start the server.")
final class ServeCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() throws InterruptedException {
    AppConfig config = AppConfig.fromEnvironment();
    App app = App.create(config, Clock.systemUTC());
    Optional<OrganizationService.Created> created = app.organizations().bootstrap(config.apiKey());
    // Printed before the server starts: the key is in the database now, whatever happens next.
    created.ifPresent(
        c -> {
          System.out.println(
              "Created organization '"
                  + c.organization().name()
                  + "' (id "
                  + c.organization().id()
                  + ", grow plan).");
          System.out.println("Its API key, shown only this once: " + c.apiKey());
          System.out.flush();
        });
    app.start();
    if (config.apiKey().isPresent()) {
      log.info("PARLOR_API_KEY is a valid key of the 'default' organization");
    }
    log.info("Parlor listening on {}:{} (rooms at {})", config.host(), app.port(), app.publicUrl());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  app.close();
                  log.info("Parlor stopped");
                  flushLogs();
                  stopped.countDown();
                }));
    stopped.await();
    return 0;
  }

  /** Logging is asynchronous: write out what is queued before the JVM halts. */
  private static void flushLogs() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext logback) {
      logback.stop();
    }
  }
}
