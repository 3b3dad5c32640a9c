package dev.parlor.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The server secret: {@code PARLOR_SECRET}, or one generated on first start and kept in the data
 * directory (mode 0600) so room keys, cursors and links stay valid across restarts.
 */
public final class Secrets {
  private Secrets() {}

  /**
   * A key for one purpose, derived from the server secret (HMAC-SHA256 of the purpose's name), so a
   * key leaked from one use says nothing about the secret or the other uses.
   */
  public static byte[] derive(byte[] serverSecret, String purpose) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(serverSecret, "HmacSHA256"));
      return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  public static byte[] load(AppConfig config) {
    if (config.secret().isPresent()) {
      return config.secret().get().getBytes(StandardCharsets.UTF_8);
    }
    Path file = config.dataDir().resolve("secret");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(config.dataDir());
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        try {
          Files.writeString(
              file,
              HexFormat.of().formatHex(b),
              StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system; nothing more to do
          }
        } catch (FileAlreadyExistsException e) {
          // another process (the CLI) created it first: use theirs
        }
      }
      String hex = Files.readString(file).trim();
      if (hex.length() < 32) {
        throw new ConfigException("secret file " + file + " is too short; delete it to regenerate");
      }
      return hex.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read or create the secret file " + file + ": " + e);
    }
  }
}
