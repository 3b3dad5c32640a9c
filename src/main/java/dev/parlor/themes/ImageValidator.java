package dev.parlor.themes;

import dev.parlor.http.ApiException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decides whether a file really is an image of an accepted type. Its type comes from its first
 * bytes; its dimensions from its header, checked against the bounds before any pixel is decoded (a
 * few hundred kilobytes of PNG can declare gigapixels: a decompression bomb); then all of its data
 * is decoded, into a picture subsampled to about a megapixel so that memory stays small whatever
 * the dimensions. Problems are 400s naming {@code image}.
 */
final class ImageValidator {
  static final int MAX_SIDE = 10_000;
  static final long MAX_PIXELS = 40_000_000L;

  /** About the largest picture a check decodes into: 4 MB of pixels. */
  private static final long DECODED_PIXELS = 1_000_000L;

  static final String NOT_AN_IMAGE = "image must be a PNG, JPEG or WebP image";

  /**
   * Decoding takes memory and CPU; two at a time, the others wait. A WebP takes both permits: the
   * WebP reader decodes into a full-size picture whatever the subsampling (measured: 106 MB
   * allocated for a 36-megapixel lossless WebP, against 3 MB for the same PNG), so two at once
   * could fill the 256 MiB heap.
   */
  private static final int PERMITS = 2;

  private final Semaphore decoding = new Semaphore(PERMITS, true);

  /** An image's type and the dimensions its header declares. */
  record Inspection(ImageFormat format, int width, int height) {}

  static {
    // Read from files only; never spool streams into ImageIO's own temporary files.
    ImageIO.setUseCache(false);
  }

  /** The file's type and header dimensions, within bounds; no pixel is decoded. */
  Inspection inspect(Path file) {
    ImageFormat format = sniff(file).orElseThrow(() -> invalid(NOT_AN_IMAGE));
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = reader(format);
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        checkBounds(w, h);
        return new Inspection(format, w, h);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      throw invalid(damaged(format));
    }
  }

  static void checkBounds(int w, int h) {
    if (w <= 0 || h <= 0) {
      throw invalid("image has no pixels");
    }
    if (w > MAX_SIDE || h > MAX_SIDE || (long) w * h > MAX_PIXELS) {
      throw invalid(
          "image is "
              + w
              + "x"
              + h
              + " pixels; at most "
              + MAX_SIDE
              + " pixels a side and "
              + MAX_PIXELS / 1_000_000
              + " megapixels are accepted");
    }
  }

  /**
   * Decodes all of the image's data, failing unless it decodes cleanly to {@code expected}'s
   * dimensions.
   */
  void decode(Path file, Inspection expected) {
    int permits = expected.format() == ImageFormat.WEBP ? PERMITS : 1;
    try {
      decoding.acquire(permits);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to decode an image", e);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      ImageReader reader = reader(expected.format());
      List<String> warnings = new ArrayList<>();
      reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        if (w != expected.width() || h != expected.height()) {
          throw invalid(damaged(expected.format()));
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = subsampling(w, h);
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage picture = reader.read(0, param);
        // The JDK's JPEG reader reports a truncated file as a warning and fills the rest grey.
        if (picture == null || !warnings.isEmpty()) {
          throw invalid(damaged(expected.format()));
        }
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof ApiException api) {
        throw api;
      }
      throw invalid(damaged(expected.format()));
    } finally {
      decoding.release(permits);
    }
  }

  /** Every n-th pixel of every n-th row, so the decoded picture has about a megapixel. */
  static int subsampling(int w, int h) {
    long pixels = (long) w * h;
    int step = 1;
    while (pixels / ((long) step * step) > DECODED_PIXELS) {
      step++;
    }
    return step;
  }

  private static Optional<ImageFormat> sniff(Path file) {
    byte[] head = new byte[12];
    try (InputStream in = Files.newInputStream(file)) {
      int n = in.readNBytes(head, 0, head.length);
      return ImageFormat.sniff(head, n);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static ImageReader reader(ImageFormat format) {
    Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName());
    if (!readers.hasNext()) {
      throw new IllegalStateException("no ImageIO reader for " + format);
    }
    return readers.next();
  }

  static String damaged(ImageFormat format) {
    return "image could not be decoded as " + format.displayName() + ": it is damaged or truncated";
  }

  static ApiException invalid(String message) {
    return ApiException.invalidField("image", message);
  }
}
