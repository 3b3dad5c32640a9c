package dev.parlor.testing;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/** Images made by the tests: real ones of each type, and ones that only pretend. */
public final class TestImages {
  private TestImages() {}

  /** A gradient picture. */
  public static BufferedImage picture(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    g.setPaint(new GradientPaint(0, 0, new Color(0x2c5cc5), w, h, new Color(0xf2a900)));
    g.fillRect(0, 0, w, h);
    g.dispose();
    return img;
  }

  public static byte[] png(int w, int h) {
    return encode(picture(w, h), "png");
  }

  public static byte[] jpeg(int w, int h) {
    return encode(picture(w, h), "jpeg");
  }

  /** A progressive JPEG: several scans, with markers between them. */
  public static byte[] progressiveJpeg(int w, int h) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(ios);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
      writer.write(null, new IIOImage(picture(w, h), null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A PNG of random pixels: barely compressible, so about 3 bytes a pixel. */
  public static byte[] noisePng(int w, int h) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    Random r = new Random(42);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, r.nextInt(0x1000000));
      }
    }
    return encode(img, "png");
  }

  public static byte[] encode(BufferedImage img, String format) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, format, out)) {
        throw new IllegalStateException("no writer for " + format);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The EXIF block (a TIFF structure) with a GPS position: latitude 59° 20' N. */
  public static byte[] gpsExif() {
    return resource("/themes/gps.exif");
  }

  /** A JPEG with an EXIF APP1 segment (GPS position) and a comment right after its start. */
  public static byte[] jpegWithGpsExif(int w, int h) {
    return jpegWithExif(w, h, gpsExif());
  }

  /**
   * An EXIF block (little-endian, as phones write it) with the Orientation tag and a GPS position.
   */
  public static byte[] orientationAndGpsExif(int orientation) {
    ByteBuffer b =
        ByteBuffer.allocate(8 + 2 + 24 + 4 + 2 + 24 + 4 + 24)
            .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
    b.putShort((short) 2); // IFD0: orientation, GPS pointer
    b.putShort((short) 0x0112)
        .putShort((short) 3)
        .putInt(1)
        .putShort((short) orientation)
        .putShort((short) 0);
    b.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
    b.putInt(0);
    b.putShort((short) 2); // GPS IFD at 38: latitude ref and latitude
    b.putShort((short) 1)
        .putShort((short) 2)
        .putInt(2)
        .put((byte) 'N')
        .put((byte) 0)
        .putShort((short) 0);
    b.putShort((short) 2).putShort((short) 5).putInt(3).putInt(68);
    b.putInt(0);
    b.putInt(59).putInt(1).putInt(20).putInt(1).putInt(7).putInt(1); // at 68
    return b.array();
  }

  /** A JPEG with the given EXIF block in an APP1 segment and a comment after its JFIF segment. */
  public static byte[] jpegWithExif(int w, int h, byte[] exif) {
    byte[] jpeg = jpeg(w, h);
    byte[] header = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    int app1Length = 2 + header.length + exif.length;
    byte[] comment = "taken at home".getBytes(StandardCharsets.ISO_8859_1);
    // After SOI and the JFIF APP0 segment, where cameras put it.
    int at = 2;
    if ((jpeg[2] & 0xff) == 0xff && (jpeg[3] & 0xff) == 0xe0) {
      at += 2 + ((jpeg[4] & 0xff) << 8 | (jpeg[5] & 0xff));
    }
    ByteBuffer b =
        ByteBuffer.allocate(jpeg.length + 4 + header.length + exif.length + 4 + comment.length);
    b.put(jpeg, 0, at);
    b.put((byte) 0xff).put((byte) 0xe1).putShort((short) app1Length).put(header).put(exif);
    b.put((byte) 0xff).put((byte) 0xfe).putShort((short) (2 + comment.length)).put(comment);
    b.put(jpeg, at, jpeg.length - at);
    return b.array();
  }

  /** A PNG with a tEXt chunk naming a place and an eXIf chunk with a GPS position. */
  public static byte[] pngWithText(int w, int h) {
    byte[] png = png(w, h);
    // After the signature (8) and IHDR (8 + 13 + 4).
    int at = 8 + 25;
    byte[] text =
        chunk("tEXt", "Location\0Stockholm, 59.33N 18.06E".getBytes(StandardCharsets.ISO_8859_1));
    byte[] exif = chunk("eXIf", gpsExif());
    ByteBuffer b = ByteBuffer.allocate(png.length + text.length + exif.length);
    b.put(png, 0, at).put(text).put(exif).put(png, at, png.length - at);
    return b.array();
  }

  /**
   * A small, valid-looking PNG whose header declares {@code w} x {@code h} pixels: a decompression
   * bomb, if anything tried to allocate them.
   */
  public static byte[] pngDeclaring(int w, int h) {
    ByteBuffer ihdr = ByteBuffer.allocate(13);
    ihdr.putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    ByteArrayOutputStream zipped = new ByteArrayOutputStream();
    try (DeflaterOutputStream z = new DeflaterOutputStream(zipped, new Deflater(9))) {
      z.write(new byte[64 * 1024]); // the first rows of zeros; the rest never comes
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    out.writeBytes(chunk("IHDR", ihdr.array()));
    out.writeBytes(chunk("IDAT", zipped.toByteArray()));
    out.writeBytes(chunk("IEND", new byte[0]));
    return out.toByteArray();
  }

  public static byte[] chunk(String type, byte[] data) {
    byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    return ByteBuffer.allocate(12 + data.length)
        .putInt(data.length)
        .put(t)
        .put(data)
        .putInt((int) crc.getValue())
        .array();
  }

  public static byte[] resource(String name) {
    try (InputStream in = TestImages.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no test resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] lossyWebp() {
    return resource("/themes/lossy-64x48.webp");
  }

  public static byte[] losslessWebp() {
    return resource("/themes/lossless-64x48.webp");
  }

  /** A WebP with a VP8X header and EXIF (GPS) and XMP chunks. */
  public static byte[] webpWithMetadata() {
    return resource("/themes/exif-xmp-64x48.webp");
  }

  /** Whether {@code needle} occurs in {@code haystack}. */
  public static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
