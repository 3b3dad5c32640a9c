package dev.parlor.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parlor.testing.NodeVerifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringifyJsonTest {

  @Test
  void writesCompactJsonInInsertionOrderWithNonAsciiLeftAsIs() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", "Zoë 🎉 Ωμέγα");
    m.put("a", List.of(1, -2L, true, false));
    m.put("n", null);
    m.put("o", Map.of());
    assertThat(StringifyJson.write(m))
        .isEqualTo("{\"z\":\"Zoë 🎉 Ωμέγα\",\"a\":[1,-2,true,false],\"n\":null,\"o\":{}}");
  }

  @Test
  void escapesOnlyWhatJsonStringifyEscapesWithLowercaseHex() {
    assertThat(StringifyJson.write("q\"b\\\b\f\n\r\t\u0001\u001f\u007f\u2028/"))
        .isEqualTo("\"q\\\"b\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028/\"");
    assertThat(StringifyJson.write("lone \ud800 and \udc00 pair \ud83d\ude00"))
        .isEqualTo("\"lone \\ud800 and \\udc00 pair \ud83d\ude00\"");
  }

  @Test
  void refusesKeysThatJsonStringifyWouldReorderAndNumbersItCouldNotKeep() {
    assertThatThrownBy(() -> StringifyJson.write(Map.of("12", 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StringifyJson.write(1L << 60))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StringifyJson.write(1.5)).isInstanceOf(IllegalArgumentException.class);
  }

  /** Random strings, with every class of character that JSON.stringify treats specially. */
  @Test
  void nodeJsonStringifyGivesBackExactlyWhatWasWrittenForRandomStrings() {
    Random random = new Random(7);
    char[] special = {
      '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', 0, 1, 0x1f, 0x7f, 0x80, 0xff, 0x2028, 0x2029,
      0xfeff, 0xfffd, 0xd800, 0xdbff, 0xdc00, 0xdfff, 'a', 'Z', ' ', 'é', '中'
    };
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(24);
      for (int j = 0; j < len; j++) {
        switch (random.nextInt(4)) {
          case 0 -> sb.append(special[random.nextInt(special.length)]);
          case 1 -> sb.appendCodePoint(0x1F300 + random.nextInt(0x300)); // astral: emoji
          case 2 -> sb.append((char) random.nextInt(0x10000)); // any UTF-16 unit, surrogates too
          default -> sb.append((char) (0x20 + random.nextInt(0x5f)));
        }
      }
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("displayName", sb.toString());
      m.put("k" + sb, List.of(i, sb.length() % 2 == 0, Arrays.asList((Object) null)));
      lines.add(StringifyJson.write(m));
    }
    List<Boolean> same = NodeVerifier.run("roundtrip", lines);
    assertThat(same).hasSize(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(same.get(i)).as("JSON.stringify(JSON.parse(%s))", lines.get(i)).isTrue();
    }
  }
}
