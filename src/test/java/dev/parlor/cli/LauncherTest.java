package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parlor.testing.AdminDatabase;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./parlor} launcher at the repository root, run the way a user on this machine runs it:
 * the {@code java} on the PATH is 17 and JAVA_HOME is unset, so it has to find a JDK 21+ itself.
 *
 * <p>The launcher builds the jar when it is missing or stale; this test builds it first (offline,
 * at most {@value #BUILD_SECONDS} s) and is skipped when that cannot be done quickly.
 */
class LauncherTest {
  private static final long BUILD_SECONDS = 30;
  private static final Path ROOT = Path.of("").toAbsolutePath();
  private static final Path JAR = ROOT.resolve("target/parlor.jar");

  @TempDir Path tmp;

  @Test
  void theLauncherRunsOrgListFromTheRepositoryRootWithJava17FirstOnThePathAndNoJavaHome()
      throws Exception {
    assumeTrue(Files.isExecutable(ROOT.resolve("parlor")), "no ./parlor in " + ROOT);
    assumeTrue(jarIsUpToDate() || buildJar(), "target/parlor.jar could not be built quickly");
    Path dataDir = tmp.resolve("data");
    String orgName;
    try (AdminDatabase admin = AdminDatabase.open(dataDir)) {
      orgName = admin.newOrganization("build").organization().name();
    }

    ProcessBuilder pb = new ProcessBuilder("./parlor", "org", "list").directory(ROOT.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("PARLOR_") || k.equals("JAVA_HOME"));
    env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin:" + env.getOrDefault("PATH", ""));
    env.put("PARLOR_DATA_DIR", dataDir.toString());
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    boolean ended = p.waitFor(30, TimeUnit.SECONDS);
    if (!ended) {
      destroyTree(p);
    }
    String stdout = Files.readString(out);
    String stderr = Files.readString(err);

    assertThat(ended).as("the launcher ended within 30 s:\n" + stderr).isTrue();
    assertThat(p.exitValue()).as(stderr).isZero();
    assertThat(stderr).doesNotContain("no JDK", "UnsupportedClassVersionError", "building");
    assertThat(stdout.lines().toList()).containsExactly("1\t" + orgName + "\t100 points/minute");
  }

  /** The launcher's own rule: the jar exists and nothing in src/main or pom.xml is newer. */
  private static boolean jarIsUpToDate() throws IOException {
    if (!Files.exists(JAR)) {
      return false;
    }
    FileTime built = Files.getLastModifiedTime(JAR);
    try (Stream<Path> sources = Files.walk(ROOT.resolve("src/main"))) {
      return Stream.concat(sources, Stream.of(ROOT.resolve("pom.xml")))
          .noneMatch(f -> modified(f).compareTo(built) > 0);
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Builds the jar offline with the JDK running the tests; false when that fails or is slow. */
  private boolean buildJar() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(
                "mvn", "-B", "-q", "-o", "-DskipTests", "-Dspotless.check.skip=true", "package")
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("build.log").toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment()
        .put(
            "PATH",
            System.getProperty("java.home") + "/bin" + File.pathSeparator + System.getenv("PATH"));
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return false;
    }
    if (!p.waitFor(BUILD_SECONDS, TimeUnit.SECONDS)) {
      destroyTree(p);
      // A jar cut off while being written must not pass for an up-to-date one.
      Files.deleteIfExists(JAR);
      return false;
    }
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(tmp.resolve("build.log"), StandardCharsets.UTF_8));
      return false;
    }
    return jarIsUpToDate();
  }

  private static void destroyTree(Process p) throws InterruptedException {
    List<ProcessHandle> children = p.descendants().toList();
    p.destroyForcibly();
    children.forEach(ProcessHandle::destroyForcibly);
    p.waitFor(10, TimeUnit.SECONDS);
  }
}
