package dev.parlor.themes;

/** What fills an image slot of a stored theme: an upload or a built-in background. */
public sealed interface ThemeImage {

  /** An uploaded image, stored (metadata stripped) as the blob {@code blobKey}. */
  record Uploaded(
      String blobKey, String sha256, ImageFormat format, long sizeBytes, int width, int height)
      implements ThemeImage {}

  /** A built-in background, by its palette and picture. */
  record BuiltIn(Palette palette, BackgroundTheme theme) implements ThemeImage {}
}
