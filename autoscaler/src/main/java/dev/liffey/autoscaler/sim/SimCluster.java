package dev.liffey.autoscaler.sim;

import dev.liffey.core.config.EksCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One region's EKS nodes as EKS Auto Mode runs them, shared by the region's services: a replica
 * takes a slot on a node ({@code replicasPerNode} each); a replica that finds none makes the pool
 * launch a node, which is Ready {@code nodeStartupSeconds} later, up to {@code maxNodes}; a replica
 * beyond that stays Pending until a slot frees. Room for a whole node unused for {@link
 * EksCluster#CONSOLIDATE_AFTER} is consolidated away. Replicas are packed: the n-th slot in use is
 * on the (n / replicasPerNode)-th node, Ready nodes first. Not thread-safe.
 */
final class SimCluster {
  private final int perNode;
  private final int maxNodes;
  private final Duration nodeStartup;
  private int ready;
  private final Deque<Instant> launching = new ArrayDeque<>();
  private int used;
  private Instant roomySince;

  SimCluster(EksCluster eks) {
    this.perNode = eks.replicasPerNode();
    this.maxNodes = eks.maxNodes();
    this.nodeStartup = eks.nodeStartup();
  }

  /** Starts converged: the nodes {@code replicas} need, all Ready, every replica placed. */
  void startWith(int replicas) {
    used = replicas;
    ready = Math.min(maxNodes, nodesFor(replicas));
    launching.clear();
    roomySince = null;
  }

  /**
   * Places one replica: when its node is there, which is now on a Ready node with room, a launching
   * node's arrival, or a new node's; empty when every node the pool may have is taken.
   */
  Instant place(Instant now) {
    int node = used / perNode;
    if (node >= ready + launching.size()) {
      if (ready + launching.size() >= maxNodes) {
        return null;
      }
      launching.addLast(now.plus(nodeStartup));
    }
    used++;
    return node < ready ? now : launching.stream().skip(node - ready).findFirst().orElseThrow();
  }

  /** A replica gone (scaled in, or cancelled before it started): its slot is free. */
  void release() {
    used = Math.max(0, used - 1);
  }

  /** Nodes arrive; room for a whole node unused for the consolidation wait goes. */
  void advance(Instant now) {
    while (!launching.isEmpty() && !launching.peekFirst().isAfter(now)) {
      launching.removeFirst();
      ready++;
    }
    int spare = ready + launching.size() - nodesFor(used);
    if (spare <= 0 || !launching.isEmpty()) {
      roomySince = null;
      return;
    }
    if (roomySince == null) {
      roomySince = now;
    } else if (!now.isBefore(roomySince.plus(EksCluster.CONSOLIDATE_AFTER))) {
      ready -= spare;
      roomySince = null;
    }
  }

  /** Replicas the Ready nodes have room for now. */
  int free() {
    return Math.max(0, ready * perNode - used);
  }

  /** Nodes Ready or launching. */
  int nodes() {
    return ready + launching.size();
  }

  private int nodesFor(int replicas) {
    return (replicas + perNode - 1) / perNode;
  }
}
