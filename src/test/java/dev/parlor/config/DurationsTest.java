package dev.parlor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void anIso8601DurationIsReadAsSuch() {
    assertThat(Durations.parse("K", "PT5S")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("K", "PT1H")).isEqualTo(Duration.ofHours(1));
    assertThat(Durations.parse("K", "P1DT2M")).isEqualTo(Duration.ofDays(1).plusMinutes(2));
  }

  @Test
  void aPlainNumberIsANumberOfSeconds() {
    assertThat(Durations.parse("K", "5")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("K", "0")).isEqualTo(Duration.ZERO);
    assertThat(Durations.parse("K", "3600")).isEqualTo(Duration.ofHours(1));
  }

  @Test
  void aFractionOfASecondIsKeptToTheMillisecond() {
    assertThat(Durations.parse("K", "1.5")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Durations.parse("K", "0.25")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void caseAndSurroundingWhitespaceDoNotMatter() {
    assertThat(Durations.parse("K", "pt5s")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("K", "  5 ")).isEqualTo(Duration.ofSeconds(5));
    assertThat(Durations.parse("K", " PT2M\t")).isEqualTo(Duration.ofMinutes(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"xyz", "", "5s", "1e3", "PT", "5 minutes", "1,5"})
  void anythingElseIsRefusedWithAMessageNamingTheKeyAndTheValue(String value) {
    assertThatThrownBy(() -> Durations.parse("PARLOR_MEETING_GRACE", value))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("PARLOR_MEETING_GRACE ")
        .hasMessageContaining("ISO-8601")
        .hasMessageContaining("'" + value.trim() + "'");
  }
}
