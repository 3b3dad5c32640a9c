package dev.parlor.themes;

import java.util.Optional;

/** The image types a theme accepts, recognised by their first bytes, never by a name. */
public enum ImageFormat {
  PNG("PNG", "image/png", "png", "png"),
  JPEG("JPEG", "image/jpeg", "jpg", "jpeg"),
  WEBP("WebP", "image/webp", "webp", "webp");

  private final String displayName;
  private final String contentType;
  private final String extension;
  private final String imageIoName;

  ImageFormat(String displayName, String contentType, String extension, String imageIoName) {
    this.displayName = displayName;
    this.contentType = contentType;
    this.extension = extension;
    this.imageIoName = imageIoName;
  }

  public String displayName() {
    return displayName;
  }

  public String contentType() {
    return contentType;
  }

  public String extension() {
    return extension;
  }

  String imageIoName() {
    return imageIoName;
  }

  public static Optional<ImageFormat> fromExtension(String ext) {
    for (ImageFormat f : values()) {
      if (f.extension.equals(ext)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  /** The format whose signature {@code head} (the file's first 12 bytes or fewer) starts with. */
  static Optional<ImageFormat> sniff(byte[] head, int n) {
    if (n >= 8
        && (head[0] & 0xff) == 0x89
        && head[1] == 'P'
        && head[2] == 'N'
        && head[3] == 'G'
        && head[4] == '\r'
        && head[5] == '\n'
        && head[6] == 0x1a
        && head[7] == '\n') {
      return Optional.of(PNG);
    }
    if (n >= 3
        && (head[0] & 0xff) == 0xff
        && (head[1] & 0xff) == 0xd8
        && (head[2] & 0xff) == 0xff) {
      return Optional.of(JPEG);
    }
    if (n >= 12
        && head[0] == 'R'
        && head[1] == 'I'
        && head[2] == 'F'
        && head[3] == 'F'
        && head[8] == 'W'
        && head[9] == 'E'
        && head[10] == 'B'
        && head[11] == 'P') {
      return Optional.of(WEBP);
    }
    return Optional.empty();
  }
}
