package dev.parlor.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A {@code multipart/form-data} body built by hand, as a browser's FormData would send it. */
public final class Multipart {
  private final String boundary = "----ParlorTest" + UUID.randomUUID().toString().replace("-", "");
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();

  public static Multipart image(String filename, String contentType, byte[] data) {
    return new Multipart().file("image", filename, contentType, data);
  }

  public Multipart field(String name, String value) {
    write(
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"\r\n\r\n"
            + value
            + "\r\n");
    return this;
  }

  public Multipart file(String name, String filename, String contentType, byte[] data) {
    write(
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + name
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: "
            + contentType
            + "\r\n\r\n");
    body.writeBytes(data);
    write("\r\n");
    return this;
  }

  public String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  public byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(body.toByteArray());
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  private void write(String s) {
    body.writeBytes(s.getBytes(StandardCharsets.UTF_8));
  }
}
