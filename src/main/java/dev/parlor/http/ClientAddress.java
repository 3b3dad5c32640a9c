package dev.parlor.http;

import io.helidon.webserver.http.ServerRequest;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client's address: the peer's, unless the peer is a trusted proxy, in which case the
 * right-most {@code X-Forwarded-For} entry that is not itself a trusted proxy. By default no proxy
 * is trusted, so the header cannot be used to dodge per-address limits.
 */
public final class ClientAddress {
  private record Cidr(BigInteger network, BigInteger mask, int bytes) {
    boolean contains(InetAddress a) {
      byte[] b = a.getAddress();
      return b.length == bytes && new BigInteger(1, b).and(mask).equals(network);
    }
  }

  private final List<Cidr> trusted = new ArrayList<>();

  public ClientAddress(List<String> trustedProxies) {
    for (String entry : trustedProxies) {
      trusted.add(parse(entry));
    }
  }

  private static Cidr parse(String entry) {
    String[] parts = entry.split("/", 2);
    try {
      byte[] addr = InetAddress.getByName(parts[0]).getAddress();
      int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : addr.length * 8;
      if (bits < 0 || bits > addr.length * 8) {
        throw new IllegalArgumentException();
      }
      BigInteger all = BigInteger.ONE.shiftLeft(addr.length * 8).subtract(BigInteger.ONE);
      BigInteger mask = all.shiftRight(bits).xor(all);
      return new Cidr(new BigInteger(1, addr).and(mask), mask, addr.length);
    } catch (UnknownHostException | IllegalArgumentException e) {
      throw new dev.parlor.config.ConfigException(
          "PARLOR_TRUSTED_PROXIES: '" + entry + "' is not an IP address or CIDR range");
    }
  }

  public String of(ServerRequest req) {
    InetAddress peer = peer(req);
    if (peer == null) {
      return "unknown";
    }
    if (trusted.isEmpty() || !isTrusted(peer)) {
      return peer.getHostAddress();
    }
    List<String> hops =
        req.headers().values(io.helidon.http.HeaderNames.X_FORWARDED_FOR).stream()
            .flatMap(v -> java.util.Arrays.stream(v.split(",")))
            .map(String::trim)
            .filter(s -> !s.isEmpty())
            .toList();
    for (int i = hops.size() - 1; i >= 0; i--) {
      InetAddress hop = literal(hops.get(i));
      if (hop == null) {
        return hops.get(i);
      }
      if (!isTrusted(hop)) {
        return hop.getHostAddress();
      }
    }
    return peer.getHostAddress();
  }

  private boolean isTrusted(InetAddress a) {
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static InetAddress peer(ServerRequest req) {
    if (req.remotePeer().address() instanceof InetSocketAddress isa) {
      return isa.getAddress();
    }
    return null;
  }

  /** Parses an IP literal without ever doing a DNS lookup. */
  private static InetAddress literal(String s) {
    String v = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    if (!v.matches("[0-9a-fA-F:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(v);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
