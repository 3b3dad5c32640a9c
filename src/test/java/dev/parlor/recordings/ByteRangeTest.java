package dev.parlor.recordings;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTest {

  @ParameterizedTest(name = "{0} of {1} bytes: {2}")
  @CsvSource({
    "bytes=0-9, 1000, 0-9",
    "bytes=990-, 1000, 990-999",
    "bytes=-100, 1000, 900-999",
    "bytes=-5000, 1000, 0-999",
    "bytes=500-5000, 1000, 500-999",
    "bytes=999-999, 1000, 999-999",
    "bytes=1000-, 1000, 416",
    "bytes=-0, 1000, 416",
    "bytes=0-, 0, 416",
    "bytes=-1, 0, 416",
    "bytes=5-2, 1000, whole",
    "'bytes=0-1,5-6', 1000, whole",
    "items=0-9, 1000, whole",
    "bytes=-, 1000, whole",
    "bytes=abc, 1000, whole",
    "bytes=99999999999999999999-, 1000, whole"
  })
  void aSingleByteRangeIsServedPartlyAnUnsatisfiableOneIs416AndAnythingElseIsTheWholeFile(
      String header, long size, String expected) {
    ByteRange.Result r = ByteRange.of(Optional.of(header), size);

    String got =
        switch (r) {
          case ByteRange.Whole w -> "whole";
          case ByteRange.Unsatisfiable u -> "416";
          case ByteRange.Partial p ->
              p.range().start() + "-" + (p.range().start() + p.range().length() - 1);
        };
    assertThat(got).isEqualTo(expected);
  }

  @ParameterizedTest(name = "no Range header of a {0}-byte file")
  @CsvSource({"0", "1000"})
  void noRangeHeaderIsTheWholeFile(long size) {
    assertThat(ByteRange.of(Optional.empty(), size)).isInstanceOf(ByteRange.Whole.class);
  }
}
