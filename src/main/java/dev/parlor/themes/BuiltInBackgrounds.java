package dev.parlor.themes;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;

/**
 * The built-in backgrounds, one per palette and picture, drawn by Parlor itself on first use (no
 * download, nothing shipped): a vertical gradient in the palette's colors, with mountains,
 * characters or rocks in its accent colors in front. Drawing is deterministic, so a background's
 * bytes and hash are the same on every node and after every restart. Each is a PNG of about 20 KB,
 * kept in memory once drawn.
 */
public final class BuiltInBackgrounds {
  static final int WIDTH = 1280;
  static final int HEIGHT = 720;

  /** A drawn background. */
  public record Image(byte[] png, String sha256, int width, int height) {}

  private final ConcurrentHashMap<String, Image> drawn = new ConcurrentHashMap<>();

  public Image get(Palette palette, BackgroundTheme theme) {
    return drawn.computeIfAbsent(palette.wire() + "/" + theme.wire(), k -> draw(palette, theme));
  }

  private static Image draw(Palette p, BackgroundTheme t) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.setPaint(new GradientPaint(0, 0, new Color(p.top), 0, HEIGHT, new Color(p.bottom)));
      g.fillRect(0, 0, WIDTH, HEIGHT);
      Random random = new Random(31L * p.ordinal() + t.ordinal());
      switch (t) {
        case DEFAULT -> {}
        case MOUNTAINS -> mountains(g, p, random);
        case CHARACTERS -> characters(g, p, random);
        case ROCKS -> rocks(g, p, random);
      }
    } finally {
      g.dispose();
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 1024);
      ImageIO.write(img, "png", out);
      byte[] png = out.toByteArray();
      return new Image(png, sha256(png), WIDTH, HEIGHT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void mountains(Graphics2D g, Palette p, Random random) {
    Color[] layers = {blend(p.bottom, p.accent, 0.45), new Color(p.accent), new Color(p.deep)};
    for (int layer = 0; layer < layers.length; layer++) {
      double base = HEIGHT * (0.55 + 0.13 * layer);
      Path2D.Double ridge = new Path2D.Double();
      ridge.moveTo(0, HEIGHT);
      double x = 0;
      ridge.lineTo(0, base - random.nextDouble() * 60);
      while (x < WIDTH) {
        x += 90 + random.nextDouble() * 160;
        double peak = base - 60 - random.nextDouble() * (180 - 40 * layer);
        ridge.lineTo(x - 40, peak);
        ridge.lineTo(x, base - random.nextDouble() * 50);
      }
      ridge.lineTo(WIDTH, HEIGHT);
      ridge.closePath();
      g.setColor(layers[layer]);
      g.fill(ridge);
    }
  }

  private static void characters(Graphics2D g, Palette p, Random random) {
    Color[] tones = {new Color(p.accent), new Color(p.deep), blend(p.bottom, p.deep, 0.6)};
    int count = 7;
    for (int i = 0; i < count; i++) {
      double cx = WIDTH * (i + 0.5) / count + (random.nextDouble() - 0.5) * 40;
      double scale = 0.8 + random.nextDouble() * 0.5;
      double head = 46 * scale;
      double bodyW = 120 * scale;
      double bodyH = 220 * scale;
      double top = HEIGHT - bodyH + 30;
      g.setColor(tones[i % tones.length]);
      g.fill(new RoundRectangle2D.Double(cx - bodyW / 2, top, bodyW, bodyH, bodyW, bodyW));
      g.fill(new Ellipse2D.Double(cx - head, top - head * 2.1, head * 2, head * 2));
      g.setColor(new Color(p.top));
      g.setStroke(
          new BasicStroke((float) (5 * scale), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
      double eyeY = top - head * 1.2;
      g.fill(new Ellipse2D.Double(cx - head * 0.45, eyeY, 9 * scale, 9 * scale));
      g.fill(new Ellipse2D.Double(cx + head * 0.25, eyeY, 9 * scale, 9 * scale));
    }
  }

  private static void rocks(Graphics2D g, Palette p, Random random) {
    Color[] tones = {
      blend(p.bottom, p.accent, 0.5),
      new Color(p.accent),
      new Color(p.deep),
      blend(p.accent, p.deep, 0.5)
    };
    for (int i = 0; i < 22; i++) {
      double w = 80 + random.nextDouble() * 260;
      double h = w * (0.45 + random.nextDouble() * 0.3);
      double x = random.nextDouble() * WIDTH - w / 2;
      double y = HEIGHT - h * (0.55 + random.nextDouble() * 0.5) - random.nextDouble() * 90;
      g.setColor(tones[i % tones.length]);
      g.fill(new RoundRectangle2D.Double(x, y, w, h, w * 0.8, h * 0.9));
    }
  }

  private static Color blend(int a, int b, double t) {
    Color x = new Color(a);
    Color y = new Color(b);
    return new Color(
        (int) Math.round(x.getRed() + (y.getRed() - x.getRed()) * t),
        (int) Math.round(x.getGreen() + (y.getGreen() - x.getGreen()) * t),
        (int) Math.round(x.getBlue() + (y.getBlue() - x.getBlue()) * t));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
