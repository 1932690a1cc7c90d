package dev.liffey.edge.whep;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A viewer's WHEP resource id, which names the relay holding it: {@code 10.0.1.23_8443_<uuid>}.
 * Behind a load balancer a viewer's PATCH or DELETE may reach another relay than its POST did; that
 * relay finds the owner in the id and passes the request on, inside the VPC. Only private (or
 * loopback) IPv4 owners are ever passed to, so an id cannot make a relay call out anywhere.
 */
public final class ViewerIds {
  private static final Pattern OWNED =
      Pattern.compile("(\\d{1,3}(?:\\.\\d{1,3}){3})_(\\d{1,5})_[0-9a-f-]{36}");

  private ViewerIds() {}

  /** A new id, owned by {@code self} when the relay has an address its peers reach it at. */
  public static String newId(Optional<InetSocketAddress> self) {
    String uuid = UUID.randomUUID().toString();
    return self.map(a -> a.getAddress().getHostAddress() + "_" + a.getPort() + "_" + uuid)
        .orElse(uuid);
  }

  /** Whether requests may be passed to a relay at {@code a}: a private or loopback address. */
  public static boolean passable(InetAddress a) {
    return a.isSiteLocalAddress() || a.isLoopbackAddress();
  }

  /** The relay an id names, if it names a private or loopback IPv4 address. */
  public static Optional<InetSocketAddress> owner(String id) {
    Matcher m = OWNED.matcher(id);
    if (!m.matches()) {
      return Optional.empty();
    }
    try {
      InetAddress a = InetAddress.getByName(m.group(1)); // a literal: no lookup
      int port = Integer.parseInt(m.group(2));
      if (port < 1 || port > 65535 || !passable(a)) {
        return Optional.empty();
      }
      return Optional.of(new InetSocketAddress(a, port));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
