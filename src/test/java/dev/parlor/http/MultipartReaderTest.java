package dev.parlor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {
  static final String B = "----parlorBoundary7MA4YWxkTrZu0gW";

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A stream that hands out at most a few bytes per read, as a slow network would. */
  static InputStream trickle(byte[] bytes, long seed) {
    Random r = new Random(seed);
    return new InputStream() {
      int i;

      @Override
      public int read() {
        return i < bytes.length ? bytes[i++] & 0xff : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (i >= bytes.length) {
          return -1;
        }
        int n = Math.min(Math.min(len, 1 + r.nextInt(7)), bytes.length - i);
        System.arraycopy(bytes, i, b, off, n);
        i += n;
        return n;
      }
    };
  }

  record Read(String name, String filename, String type, byte[] body) {}

  static List<Read> readAll(InputStream in, String boundary) throws IOException {
    MultipartReader r = new MultipartReader(in, boundary);
    List<Read> out = new ArrayList<>();
    Optional<MultipartReader.Part> p;
    while ((p = r.next()).isPresent()) {
      MultipartReader.Part part = p.get();
      out.add(
          new Read(
              part.name(),
              part.filename().orElse(null),
              part.contentType().orElse(null),
              part.body().readAllBytes()));
    }
    return out;
  }

  static String body() {
    return "preamble to ignore\r\n--"
        + B
        + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
        + B
        + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"my \\\"logo\\\".png\"\r\n"
        + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n--not-the-boundary\r\n--"
        + B.substring(0, 10)
        + "\r\n--"
        + B
        + "--\r\nepilogue";
  }

  @Test
  void partsAreReadWithTheirNamesFileNamesTypesAndExactBytes() throws IOException {
    List<Read> parts = readAll(new ByteArrayInputStream(ascii(body())), B);

    assertThat(parts).hasSize(2);
    assertThat(parts.get(0).name()).isEqualTo("note");
    assertThat(parts.get(0).filename()).isNull();
    assertThat(new String(parts.get(0).body(), StandardCharsets.ISO_8859_1)).isEqualTo("hello");
    assertThat(parts.get(1).name()).isEqualTo("image");
    assertThat(parts.get(1).filename()).isEqualTo("my \"logo\".png");
    assertThat(parts.get(1).type()).isEqualTo("image/png");
    assertThat(new String(parts.get(1).body(), StandardCharsets.ISO_8859_1))
        .isEqualTo("\u0089PNG\r\n--not-the-boundary\r\n--" + B.substring(0, 10));
  }

  @Test
  void theSameBodyReadAFewBytesAtATimeGivesTheSameParts() throws IOException {
    List<Read> whole = readAll(new ByteArrayInputStream(ascii(body())), B);
    for (long seed = 0; seed < 50; seed++) {
      List<Read> trickled = readAll(trickle(ascii(body()), seed), B);

      assertThat(trickled).hasSize(whole.size());
      for (int i = 0; i < whole.size(); i++) {
        assertThat(trickled.get(i).body())
            .as("seed %d part %d", seed, i)
            .isEqualTo(whole.get(i).body());
      }
    }
  }

  @Test
  void aBodyThatStartsWithItsDelimiterAndAPartLeftUnreadAreFine() throws IOException {
    String body =
        "--"
            + B
            + "\r\nContent-Disposition: form-data; name=a\r\n\r\nskipped\r\n--"
            + B
            + "\r\nContent-Disposition: form-data; name=b\r\n\r\nread\r\n--"
            + B
            + "--";
    MultipartReader r = new MultipartReader(new ByteArrayInputStream(ascii(body)), B);

    assertThat(r.next().orElseThrow().name()).isEqualTo("a");
    MultipartReader.Part b = r.next().orElseThrow();
    assertThat(b.name()).isEqualTo("b");
    assertThat(new String(b.body().readAllBytes(), StandardCharsets.ISO_8859_1)).isEqualTo("read");
    assertThat(r.next()).isEmpty();
    assertThat(r.next()).isEmpty();
  }

  @Test
  void aLargePartStreamsThroughWithEveryByteIntact() throws IOException {
    byte[] content = new byte[5 * 1024 * 1024 + 3];
    new Random(7).nextBytes(content);
    byte[] head = ascii("--" + B + "\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\n");
    byte[] tail = ascii("\r\n--" + B + "--\r\n");
    InputStream in =
        new SequenceInputStream(
            new ByteArrayInputStream(head),
            new SequenceInputStream(
                new ByteArrayInputStream(content), new ByteArrayInputStream(tail)));

    MultipartReader.Part p = new MultipartReader(in, B).next().orElseThrow();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    p.body().transferTo(out);

    assertThat(out.toByteArray()).isEqualTo(content);
  }

  @Test
  void malformedBodiesAreMalformedExceptions() {
    for (String bad :
        List.of(
            "no delimiter at all",
            "--" + B + "\r\nContent-Disposition: form-data; name=x\r\n\r\nnever closed",
            "--" + B + "\r\nno-colon-header\r\n\r\nx\r\n--" + B + "--",
            "--" + B + "\r\nContent-Type: text/plain\r\n\r\nno name\r\n--" + B + "--",
            "--" + B + "garbage\r\n",
            "--" + B + "\r\nX-Long: " + "a".repeat(9000) + "\r\n\r\n")) {
      assertThatThrownBy(() -> readAll(new ByteArrayInputStream(ascii(bad)), B))
          .as(bad.length() > 60 ? bad.substring(0, 60) : bad)
          .isInstanceOf(MultipartReader.MalformedException.class);
    }
  }

  @Test
  void theBoundaryIsReadFromTheContentTypeQuotedOrNot() {
    assertThat(MultipartReader.boundary("multipart/form-data; boundary=abc")).contains("abc");
    assertThat(MultipartReader.boundary("multipart/form-data; charset=x; BOUNDARY=\"a b:c\""))
        .contains("a b:c");
    assertThat(MultipartReader.boundary("multipart/form-data")).isEmpty();
    assertThat(MultipartReader.boundary("multipart/form-data; boundary=")).isEmpty();
  }

  @Test
  void aLimitedStreamFailsOnceItsLimitIsPassed() throws IOException {
    LimitedInputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[11]), 10);
    assertThat(in.readNBytes(10)).hasSize(10);
    assertThatThrownBy(in::read).isInstanceOf(LimitedInputStream.TooLargeException.class);
  }
}
