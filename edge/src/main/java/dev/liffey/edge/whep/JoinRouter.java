package dev.liffey.edge.whep;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Where a new viewer's join goes: admitted here, or passed to another relay of the region (inside
 * the VPC) so that viewers fill relays one after another instead of spreading over all of them.
 */
public interface JoinRouter {
  /** Admits every join where the load balancer brought it: the relays spread, as they did. */
  JoinRouter HERE =
      new JoinRouter() {
        @Override
        public Optional<Peer> passTo() {
          return Optional.empty();
        }

        @Override
        public void answered(Peer peer, int status) {}
      };

  /** Another relay a join may be passed to. */
  record Peer(String id, InetSocketAddress address) {}

  /** The relay this join goes to, empty to admit it here. */
  Optional<Peer> passTo();

  /**
   * What {@code peer} answered a join passed to it: 201 when it took the viewer, 0 when it did not
   * answer at all.
   */
  void answered(Peer peer, int status);

  /**
   * Whether this relay is one of those the region's joins go to now (capacity aside): its viewers'
   * latency is then what a viewer joining gets. One that spreads takes every join it is brought.
   */
  default boolean takesJoins() {
    return true;
  }
}
