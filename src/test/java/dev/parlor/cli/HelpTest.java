package dev.parlor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parlor.testing.ParlorProcess;
import dev.parlor.testing.ParlorProcess.Result;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HelpTest {

  /** Every command and subcommand, as the words that name it ("org create", ...). */
  static Stream<String> everyCommand() {
    List<String> names = new ArrayList<>();
    collect(ParlorCommand.commandLine(), "", names);
    return names.stream();
  }

  private static void collect(CommandLine cmd, String prefix, List<String> into) {
    into.add(prefix.strip());
    cmd.getSubcommands().forEach((name, sub) -> collect(sub, prefix + " " + name, into));
  }

  @Test
  void
      theCommandTreeIsServeOrgKeyRecordingAndWebhookWithTheirSubcommandsPlusTheHiddenTrainingRun() {
    assertThat(everyCommand())
        .containsExactlyInAnyOrder(
            "",
            "serve",
            "org",
            "org create",
            "org list",
            "org theme",
            "key",
            "key create",
            "key list",
            "key revoke",
            "recording",
            "recording import",
            "webhook",
            "webhook add",
            "webhook list",
            "webhook remove",
            "webhook deliveries",
            "train");
    StringWriter out = new StringWriter();
    CommandLine cli = ParlorCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.execute("--help");
    assertThat(out.toString()).contains("serve").doesNotContain("train");
  }

  @ParameterizedTest(name = "parlor {0} --help")
  @MethodSource("everyCommand")
  void helpWorksForEveryCommandAndPrintsItsUsageOnStdout(String command) {
    CommandLine cli = ParlorCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args =
        new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");

    int code = cli.execute(args.toArray(String[]::new));

    assertThat(code).as(err.toString()).isZero();
    assertThat(err.toString()).isEmpty();
    assertThat(out.toString())
        .startsWith("Usage: parlor" + (command.isEmpty() ? "" : " " + command))
        .contains("-h, --help");
  }

  @Test
  void versionPrintsTheProgramAndItsVersion() {
    CommandLine cli = ParlorCommand.commandLine();
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));

    assertThat(cli.execute("--version")).isZero();
    assertThat(out.toString()).startsWith("parlor ").hasLineCount(1);
    assertThat(out.toString().strip()).isNotEqualTo("parlor");
  }

  @Test
  void helpAsARealProcessExitsZeroAndTouchesNoDatabase(@TempDir Path dataDir) {
    Path inside = dataDir.resolve("data");
    Result root = ParlorProcess.run(ParlorProcess.env(inside), "--help");
    Result serve = ParlorProcess.run(ParlorProcess.env(inside), "serve", "--help");

    assertThat(root.exitCode()).as(root.toString()).isZero();
    assertThat(root.stdout()).startsWith("Usage: parlor").contains("serve", "org", "key");
    assertThat(serve.exitCode()).as(serve.toString()).isZero();
    assertThat(serve.stdout()).startsWith("Usage: parlor serve");
    assertThat(inside).as("no server was started, no database created").doesNotExist();
  }

  @Test
  void aCommandWithoutItsSubcommandIsAUsageErrorOnStderr(@TempDir Path dataDir) {
    Result r = ParlorProcess.run(ParlorProcess.env(dataDir), "key");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.stdout()).isEmpty();
    assertThat(r.stderr()).contains("Missing required subcommand", "Usage: parlor key");
  }
}
