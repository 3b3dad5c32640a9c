package dev.parlor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parlor as a real child process: {@code java -cp <the test class path> dev.parlor.Main <args>},
 * run by the JDK that runs the tests, with its configuration given as PARLOR_* environment
 * variables. Standard output and standard error are collected separately while it runs.
 *
 * <p>{@link #run} runs a command to its end; {@link #serve} starts a server and returns once {@code
 * /readyz} answers 200. A server is stopped with {@link #kill} ({@code kill -9}) or {@link
 * #terminate} ({@code SIGTERM}); {@link #close} kills whatever is still running.
 */
public final class ParlorProcess implements AutoCloseable {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern LISTENING = Pattern.compile("Parlor listening on \\S+:(\\d+) ");

  /** JVM flags for the child: quick start-up, and no JVM warnings in its standard error. */
  private static final List<String> JVM_FLAGS =
      List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED");

  /** How a finished command ended. */
  public record Result(int exitCode, String stdout, String stderr) {
    /** Standard output as lines, without their line terminators. */
    public List<String> stdoutLines() {
      return stdout.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  private final Process process;
  private final Collector out;
  private final Collector err;
  private final List<String> command;
  private volatile int port = -1;

  private ParlorProcess(Process process, List<String> command) {
    this.process = process;
    this.command = command;
    this.out = new Collector(process.getInputStream(), "stdout");
    this.err = new Collector(process.getErrorStream(), "stderr");
  }

  /**
   * The environment for a process on {@code dataDir}: loopback, port 0, no access log. Entries
   * given as {@code key, value, key, value, ...} are added or override these.
   */
  public static Map<String, String> env(Path dataDir, String... keyValues) {
    Map<String, String> env = new HashMap<>();
    env.put("PARLOR_HOST", "127.0.0.1");
    env.put("PARLOR_PORT", "0");
    env.put("PARLOR_DATA_DIR", dataDir.toString());
    env.put("PARLOR_ACCESS_LOG", "false");
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      env.put(keyValues[i], keyValues[i + 1]);
    }
    return env;
  }

  /** Starts {@code dev.parlor.Main args} with exactly the PARLOR_* variables in {@code env}. */
  public static ParlorProcess start(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    cmd.addAll(JVM_FLAGS);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.parlor.Main");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    // Nothing of the test run's own PARLOR_* environment leaks into the child.
    pb.environment().keySet().removeIf(k -> k.startsWith("PARLOR_"));
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      return new ParlorProcess(p, List.of(args));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs a command to its end (at most a minute) and returns how it ended. */
  public static Result run(Map<String, String> env, String... args) {
    try (ParlorProcess p = start(env, args)) {
      return p.awaitExit(COMMAND_TIMEOUT)
          .map(code -> new Result(code, p.out.awaitEnd(), p.err.awaitEnd()))
          .orElseThrow(
              () -> new AssertionError("parlor " + p.command + " did not end:\n" + p.stderr()));
    }
  }

  /** Starts {@code serve} and waits until {@code /readyz} answers 200. */
  public static ParlorProcess serve(Map<String, String> env) {
    ParlorProcess p = start(env, "serve");
    try {
      return p.awaitReady(READY_TIMEOUT);
    } catch (RuntimeException | AssertionError e) {
      p.close();
      throw e;
    }
  }

  /** Waits for the server's "listening" line, then for {@code /readyz} to answer 200. */
  public ParlorProcess awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (port < 0) {
      Matcher m = LISTENING.matcher(err.text());
      if (m.find()) {
        port = Integer.parseInt(m.group(1));
        break;
      }
      checkAlive(deadline, "to listen");
      sleep(20);
    }
    ApiClient api = client();
    while (true) {
      try {
        if (api.get("/readyz", null).status() == 200) {
          return this;
        }
      } catch (UncheckedIOException e) {
        // not accepting connections yet
      }
      checkAlive(deadline, "to be ready");
      sleep(20);
    }
  }

  private void checkAlive(long deadline, String what) {
    if (!process.isAlive()) {
      throw new AssertionError(
          "parlor " + command + " exited with " + process.exitValue() + ":\n" + stderr());
    }
    if (System.nanoTime() > deadline) {
      throw new AssertionError("parlor " + command + " took too long " + what + ":\n" + stderr());
    }
  }

  public int port() {
    if (port < 0) {
      throw new IllegalStateException("not listening yet");
    }
    return port;
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public ApiClient client() {
    return new ApiClient(baseUrl());
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  /** What the process has written to standard output so far. */
  public String stdout() {
    return out.text();
  }

  /** What the process has written to standard error so far. */
  public String stderr() {
    return err.text();
  }

  /** Kills the process with SIGKILL ({@code kill -9}) and returns its exit code. */
  public int kill() {
    // Through the handle: Process.destroyForcibly() would also close our ends of its pipes.
    process.toHandle().destroyForcibly();
    return awaitExit(COMMAND_TIMEOUT).orElseThrow();
  }

  /**
   * Asks the process to stop with SIGTERM and returns its exit code once it has ended, with all of
   * its output read.
   */
  public int terminate(Duration timeout) {
    // Through the handle: Process.destroy() would also close our ends of its pipes, and what the
    // process writes while it stops would be lost.
    process.toHandle().destroy();
    int code =
        awaitExit(timeout)
            .orElseThrow(() -> new AssertionError("no exit within " + timeout + ":\n" + stderr()));
    out.awaitEnd();
    err.awaitEnd();
    return code;
  }

  /** The exit code, once the process has ended within {@code timeout}. */
  public Optional<Integer> awaitExit(Duration timeout) {
    try {
      if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return Optional.of(process.exitValue());
      }
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroyForcibly();
      awaitExit(Duration.ofSeconds(10));
    }
  }

  /** The java launcher of the JDK running the tests. */
  public static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Reads one of the child's output streams on its own thread, keeping everything it wrote. */
  private static final class Collector {
    private final StringBuilder text = new StringBuilder();
    private final Thread thread;

    Collector(InputStream in, String name) {
      this.thread =
          Thread.ofPlatform()
              .daemon()
              .name("parlor-child-" + name)
              .start(
                  () -> {
                    char[] buf = new char[8192];
                    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                      int n;
                      while ((n = r.read(buf)) >= 0) {
                        synchronized (text) {
                          text.append(buf, 0, n);
                        }
                      }
                    } catch (IOException e) {
                      // the stream closes when the process ends
                    }
                  });
    }

    String text() {
      synchronized (text) {
        return text.toString();
      }
    }

    /** Everything, once the stream has ended (the process has exited). */
    String awaitEnd() {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return text();
    }
  }
}
