package dev.parlor.roompage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.config.AppConfig;
import dev.parlor.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rooms' configuration keys: embed origins, TLS files. */
class RoomConfigTest {
  @TempDir Path dir;

  @Test
  void embedOriginsAreAListOfOrigins() {
    assertThat(AppConfig.from(Map.of()).embedOrigins()).containsExactly("*");
    assertThat(
            AppConfig.from(
                    Map.of("PARLOR_EMBED_ORIGINS", " https://a.example.com ,http://localhost:3000"))
                .embedOrigins())
        .isEqualTo(List.of("https://a.example.com", "http://localhost:3000"));
    for (String bad : List.of("a.example.com", "https://a.example.com/path", "ftp://x")) {
      assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_EMBED_ORIGINS", bad)))
          .as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("PARLOR_EMBED_ORIGINS");
    }
  }

  @Test
  void tlsNeedsBothReadableFiles() throws Exception {
    Path cert = Files.writeString(dir.resolve("c.pem"), "x");
    assertThatThrownBy(() -> AppConfig.from(Map.of("PARLOR_TLS_CERT", cert.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("PARLOR_TLS_KEY");
    assertThatThrownBy(
            () ->
                AppConfig.from(
                    Map.of(
                        "PARLOR_TLS_CERT",
                        cert.toString(),
                        "PARLOR_TLS_KEY",
                        dir.resolve("missing.pem").toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("missing.pem");
    AppConfig ok =
        AppConfig.from(
            Map.of("PARLOR_TLS_CERT", cert.toString(), "PARLOR_TLS_KEY", cert.toString()));
    assertThat(ok.effectivePublicUrl(8443)).isEqualTo("https://localhost:8443");
  }
}
