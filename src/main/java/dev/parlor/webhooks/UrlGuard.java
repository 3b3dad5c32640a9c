package dev.parlor.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Server-side request forgery protection for webhook URLs: only {@code http} and {@code https}, and
 * no address a server should not reach on a customer's behalf (loopback, private, link-local,
 * carrier-grade NAT, unique-local, multicast, unspecified), unless {@code
 * PARLOR_WEBHOOK_ALLOW_PRIVATE=true}. The check runs when an endpoint is added and again before
 * every delivery, so a name that later resolves to a private address (DNS rebinding) is refused
 * too.
 */
public final class UrlGuard {
  private final boolean allowPrivate;

  public UrlGuard(boolean allowPrivate) {
    this.allowPrivate = allowPrivate;
  }

  /** A refused URL; the message says why, for the person who gave it. */
  public static final class Refused extends IllegalArgumentException {
    Refused(String message) {
      super(message);
    }
  }

  /** Parses and checks a URL as given by a user. */
  public URI check(String url) {
    URI u;
    try {
      u = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new Refused("not a URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new Refused("only http and https URLs are allowed");
    }
    if (u.getHost() == null || u.getHost().isEmpty()) {
      throw new Refused("the URL has no host");
    }
    if (u.getRawUserInfo() != null) {
      throw new Refused("the URL must not contain a user name or password");
    }
    if (u.getRawFragment() != null) {
      throw new Refused("the URL must not have a #fragment");
    }
    checkHost(u.getHost());
    return u;
  }

  /** Resolves the host and refuses it if any of its addresses is not public. */
  public void checkHost(String host) {
    if (allowPrivate) {
      return;
    }
    String h =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(h);
    } catch (UnknownHostException e) {
      throw new Refused("cannot resolve " + h);
    }
    for (InetAddress a : addresses) {
      if (!isPublic(a)) {
        throw new Refused(
            h
                + " resolves to "
                + a.getHostAddress()
                + ", a private, loopback or link-local address (set"
                + " PARLOR_WEBHOOK_ALLOW_PRIVATE=true to allow it)");
      }
    }
  }

  static boolean isPublic(InetAddress a) {
    if (a.isAnyLocalAddress()
        || a.isLoopbackAddress()
        || a.isLinkLocalAddress()
        || a.isSiteLocalAddress()
        || a.isMulticastAddress()) {
      return false;
    }
    byte[] b = a.getAddress();
    if (a instanceof Inet6Address) {
      // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible forms: judge the IPv4 address.
      boolean mapped = true;
      for (int i = 0; i < 10; i++) {
        mapped &= b[i] == 0;
      }
      if (mapped
          && ((b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0))) {
        try {
          return isPublic(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 12, 16)));
        } catch (UnknownHostException e) {
          return false;
        }
      }
      int first = b[0] & 0xff;
      // fc00::/7 unique local; 2001:db8::/32 documentation; 64:ff9b::/96 NAT64 is judged as is.
      if ((first & 0xfe) == 0xfc) {
        return false;
      }
      if (first == 0x20
          && (b[1] & 0xff) == 0x01
          && (b[2] & 0xff) == 0x0d
          && (b[3] & 0xff) == 0xb8) {
        return false;
      }
      return true;
    }
    if (a instanceof Inet4Address) {
      int o0 = b[0] & 0xff;
      int o1 = b[1] & 0xff;
      return !(o0 == 0 // this network
          || o0 == 127
          || (o0 == 100 && o1 >= 64 && o1 <= 127) // carrier-grade NAT
          || (o0 == 192 && o1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
          || (o0 == 198 && (o1 == 18 || o1 == 19)) // benchmarking
          || o0 >= 240); // reserved and broadcast
    }
    return false;
  }
}
