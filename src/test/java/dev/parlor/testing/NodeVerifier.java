package dev.parlor.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code src/test/resources/webhooks/verify.js} with the machine's Node.js. */
public final class NodeVerifier {
  private NodeVerifier() {}

  /** Feeds the lines to {@code node verify.js mode} and returns its answer per line. */
  public static List<Boolean> run(String mode, List<String> lines) {
    Path script;
    try (InputStream in = NodeVerifier.class.getResourceAsStream("/webhooks/verify.js")) {
      script = Files.createTempFile("parlor-verify", ".js");
      Files.write(script, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      Process p =
          new ProcessBuilder("node", script.toString(), mode)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      try (OutputStream out = p.getOutputStream()) {
        for (String l : lines) {
          out.write((l + "\n").getBytes(StandardCharsets.UTF_8));
        }
      }
      String answer = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError("node verify.js " + mode + " failed: " + answer);
      }
      return answer.lines().map(Boolean::parseBoolean).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("is Node.js installed (node on the PATH)?", e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    } finally {
      try {
        Files.deleteIfExists(script);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
