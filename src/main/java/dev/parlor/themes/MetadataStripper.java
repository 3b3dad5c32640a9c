package dev.parlor.themes;

import dev.parlor.http.ApiException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Copies an image without its metadata, structure by structure and without decoding a pixel, so the
 * stored image is the uploaded one (same pixels, same compression) minus what could give away who
 * took it or where: EXIF (camera, GPS location, time), XMP, IPTC, comments and text chunks.
 * Anything after the image's end marker is dropped too.
 *
 * <ul>
 *   <li>PNG: keeps the critical chunks and the ones that affect how pixels look (tRNS, gAMA, cHRM,
 *       sRGB, iCCP, sBIT, bKGD, pHYs); every chunk's CRC is checked.
 *   <li>JPEG: keeps the segments that decoding needs, JFIF (APP0), the ICC profile (APP2) and
 *       Adobe's color transform (APP14); drops every other APPn and COM segment, also between
 *       progressive scans. Of EXIF only the orientation survives, rewritten as an EXIF block of its
 *       own, since browsers turn photos by it.
 *   <li>WebP: keeps the image, alpha, animation and ICC chunks; drops EXIF and XMP and clears their
 *       flags in the VP8X header.
 * </ul>
 */
final class MetadataStripper {
  private static final Set<String> PNG_KEPT =
      Set.of(
          "IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "bKGD",
          "pHYs");
  private static final Set<String> WEBP_KEPT =
      Set.of("VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP");

  void strip(ImageFormat format, Path in, Path out) {
    try {
      switch (format) {
        case PNG -> copyStreams(in, out, this::png);
        case JPEG -> copyStreams(in, out, this::jpeg);
        case WEBP -> webp(in, out);
      }
    } catch (EOFException e) {
      throw ImageValidator.invalid(ImageValidator.damaged(format));
    } catch (IOException e) {
      throw new IllegalStateException("cannot copy an upload between temporary files", e);
    }
  }

  private interface Copier {
    void copy(InputStream in, OutputStream out) throws IOException;
  }

  private static void copyStreams(Path in, Path out, Copier copier) throws IOException {
    try (InputStream i = new BufferedInputStream(Files.newInputStream(in));
        OutputStream o = new BufferedOutputStream(Files.newOutputStream(out))) {
      copier.copy(i, o);
    }
  }

  // ------------------------------------------------------------------ PNG

  private void png(InputStream in, OutputStream out) throws IOException {
    out.write(readFully(in, 8));
    boolean first = true;
    byte[] buf = new byte[16 * 1024];
    while (true) {
      byte[] lengthBytes = readFully(in, 4);
      long length = ByteBuffer.wrap(lengthBytes).getInt() & 0xffffffffL;
      byte[] typeBytes = readFully(in, 4);
      String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
      if (length > Integer.MAX_VALUE || !type.chars().allMatch(Character::isLetter)) {
        throw damaged(ImageFormat.PNG);
      }
      if (first && !type.equals("IHDR")) {
        throw damaged(ImageFormat.PNG);
      }
      first = false;
      boolean keep = PNG_KEPT.contains(type);
      CRC32 crc = new CRC32();
      crc.update(typeBytes);
      if (keep) {
        out.write(lengthBytes);
        out.write(typeBytes);
      }
      long left = length;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          throw new EOFException();
        }
        crc.update(buf, 0, n);
        if (keep) {
          out.write(buf, 0, n);
        }
        left -= n;
      }
      byte[] crcBytes = readFully(in, 4);
      if ((ByteBuffer.wrap(crcBytes).getInt() & 0xffffffffL) != crc.getValue()) {
        throw damaged(ImageFormat.PNG);
      }
      if (keep) {
        out.write(crcBytes);
      }
      if (type.equals("IEND")) {
        return;
      }
    }
  }

  // ------------------------------------------------------------------ JPEG

  private void jpeg(InputStream in, OutputStream out) throws IOException {
    boolean wroteOrientation = false;
    if (readByte(in) != 0xff || readByte(in) != 0xd8) {
      throw damaged(ImageFormat.JPEG);
    }
    out.write(0xff);
    out.write(0xd8);
    int marker = nextMarker(in);
    while (true) {
      if (marker == 0xd9) { // EOI
        out.write(0xff);
        out.write(0xd9);
        return;
      }
      if (marker >= 0xd0 && marker <= 0xd7 || marker == 0x01) {
        // Stand-alone markers carry no length.
        out.write(0xff);
        out.write(marker);
        marker = nextMarker(in);
        continue;
      }
      int length = (readByte(in) << 8) | readByte(in);
      if (length < 2) {
        throw damaged(ImageFormat.JPEG);
      }
      byte[] body = readFully(in, length - 2);
      if (keepJpegSegment(marker, body)) {
        out.write(0xff);
        out.write(marker);
        out.write(length >> 8);
        out.write(length & 0xff);
        out.write(body);
      } else if (marker == 0xe1 && !wroteOrientation) {
        // EXIF goes, but a photo's orientation must stay or it shows on its side.
        int orientation = exifOrientation(body);
        if (orientation > 1 && orientation <= 8) {
          out.write(orientationOnlyExif(orientation));
          wroteOrientation = true;
        }
      }
      marker = marker == 0xda ? copyScan(in, out) : nextMarker(in);
    }
  }

  private static boolean keepJpegSegment(int marker, byte[] body) {
    if (marker == 0xfe) { // COM
      return false;
    }
    if (marker < 0xe0 || marker > 0xef) {
      return true; // frames, tables, scans and the rest decoding needs
    }
    return switch (marker) {
      case 0xe0 -> startsWith(body, "JFIF\0");
      case 0xe2 -> startsWith(body, "ICC_PROFILE\0");
      case 0xee -> startsWith(body, "Adobe");
      default -> false; // APP1 (EXIF, XMP), APP13 (IPTC) and the other application segments
    };
  }

  /**
   * The Orientation tag (0x0112) of IFD0 in an EXIF APP1 body, or 0: read defensively, since the
   * body comes from the upload.
   */
  static int exifOrientation(byte[] body) {
    if (!startsWith(body, "Exif\0\0") || body.length < 6 + 8) {
      return 0;
    }
    ByteBuffer tiff = ByteBuffer.wrap(body, 6, body.length - 6).slice();
    if (tiff.get(0) == 'I' && tiff.get(1) == 'I') {
      tiff.order(ByteOrder.LITTLE_ENDIAN);
    } else if (tiff.get(0) != 'M' || tiff.get(1) != 'M') {
      return 0;
    }
    if ((tiff.getShort(2) & 0xffff) != 42) {
      return 0;
    }
    long ifd = tiff.getInt(4) & 0xffffffffL;
    if (ifd < 8 || ifd + 2 > tiff.limit()) {
      return 0;
    }
    int entries = tiff.getShort((int) ifd) & 0xffff;
    for (int i = 0; i < entries; i++) {
      int at = (int) ifd + 2 + i * 12;
      if (at + 12 > tiff.limit()) {
        return 0;
      }
      if ((tiff.getShort(at) & 0xffff) == 0x0112 && (tiff.getShort(at + 2) & 0xffff) == 3) {
        return tiff.getShort(at + 8) & 0xffff;
      }
    }
    return 0;
  }

  /** An APP1 segment whose EXIF holds the Orientation tag and nothing else. */
  static byte[] orientationOnlyExif(int orientation) {
    ByteBuffer b = ByteBuffer.allocate(4 + 6 + 8 + 2 + 12 + 4); // big-endian
    b.put((byte) 0xff).put((byte) 0xe1).putShort((short) (b.capacity() - 2));
    b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
    b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8); // TIFF header, IFD0 at 8
    b.putShort((short) 1); // one entry
    b.putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation);
    b.putShort((short) 0);
    b.putInt(0); // no next IFD
    return b.array();
  }

  /** Copies entropy-coded data after a scan header; returns the marker that ends it. */
  private static int copyScan(InputStream in, OutputStream out) throws IOException {
    while (true) {
      int b = readByte(in);
      if (b != 0xff) {
        out.write(b);
        continue;
      }
      int next = readByte(in);
      while (next == 0xff) {
        next = readByte(in); // fill bytes
      }
      if (next == 0x00 || next >= 0xd0 && next <= 0xd7) {
        // A stuffed 0xFF data byte, or a restart marker inside the scan.
        out.write(0xff);
        out.write(next);
        continue;
      }
      return next;
    }
  }

  private static int nextMarker(InputStream in) throws IOException {
    if (readByte(in) != 0xff) {
      throw damaged(ImageFormat.JPEG);
    }
    int m = readByte(in);
    while (m == 0xff) {
      m = readByte(in);
    }
    if (m == 0x00) {
      throw damaged(ImageFormat.JPEG);
    }
    return m;
  }

  // ------------------------------------------------------------------ WebP

  private void webp(Path inFile, Path outFile) throws IOException {
    long fileSize = Files.size(inFile);
    try (InputStream in = new BufferedInputStream(Files.newInputStream(inFile));
        FileChannel ch =
            FileChannel.open(
                outFile, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        OutputStream out =
            new BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch))) {
      byte[] header = readFully(in, 12);
      long riffSize = le32(header, 4);
      if (riffSize < 4 || riffSize + 8 > fileSize) {
        throw damaged(ImageFormat.WEBP);
      }
      out.write(header, 0, 4);
      out.write(new byte[4]); // the RIFF size, written once known
      out.write(header, 8, 4);
      long written = 4;
      long left = riffSize - 4;
      boolean first = true;
      while (left > 0) {
        if (left < 8) {
          throw damaged(ImageFormat.WEBP);
        }
        byte[] chunkHeader = readFully(in, 8);
        String fourcc = new String(chunkHeader, 0, 4, StandardCharsets.ISO_8859_1);
        long size = le32(chunkHeader, 4);
        long padded = size + (size & 1);
        if (8 + padded > left) {
          throw damaged(ImageFormat.WEBP);
        }
        if (first && !fourcc.equals("VP8 ") && !fourcc.equals("VP8L") && !fourcc.equals("VP8X")) {
          throw damaged(ImageFormat.WEBP);
        }
        first = false;
        boolean keep = WEBP_KEPT.contains(fourcc);
        if (keep && fourcc.equals("VP8X")) {
          if (size < 10) {
            throw damaged(ImageFormat.WEBP);
          }
          byte[] body = readFully(in, (int) padded);
          body[0] &= (byte) ~(0x08 | 0x04); // no EXIF, no XMP any more
          out.write(chunkHeader);
          out.write(body);
        } else {
          if (keep) {
            out.write(chunkHeader);
          }
          copyOrSkip(in, keep ? out : null, padded);
        }
        if (keep) {
          written += 8 + padded;
        }
        left -= 8 + padded;
      }
      out.flush();
      ByteBuffer size = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      size.putInt((int) written).flip();
      ch.write(size, 4);
    }
  }

  private static long le32(byte[] b, int off) {
    return (b[off] & 0xffL)
        | (b[off + 1] & 0xffL) << 8
        | (b[off + 2] & 0xffL) << 16
        | (b[off + 3] & 0xffL) << 24;
  }

  // ------------------------------------------------------------------ helpers

  private static void copyOrSkip(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[16 * 1024];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new EOFException();
      }
      if (out != null) {
        out.write(buf, 0, r);
      }
      left -= r;
    }
  }

  private static byte[] readFully(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException();
    }
    return b;
  }

  private static int readByte(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    return b;
  }

  private static boolean startsWith(byte[] body, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.ISO_8859_1);
    if (body.length < p.length) {
      return false;
    }
    for (int i = 0; i < p.length; i++) {
      if (body[i] != p[i]) {
        return false;
      }
    }
    return true;
  }

  private static ApiException damaged(ImageFormat format) {
    return ImageValidator.invalid(ImageValidator.damaged(format));
  }
}
