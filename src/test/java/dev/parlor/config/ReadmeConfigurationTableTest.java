package dev.parlor.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ReadmeConfigurationTableTest {

  @Test
  void everySettingAppearsInTheReadmeTableWithItsDefault() throws IOException {
    String readme = Files.readString(Path.of("README.md"));
    for (Setting s : Setting.values()) {
      String dflt = s.defaultValue();
      assertThat(readme).as("README row for %s", s.key()).contains("| `" + s.key() + "` |");
      if (!dflt.startsWith("(")) {
        assertThat(readme).as("README default for %s", s.key()).contains("`" + dflt + "`");
      }
    }
  }
}
