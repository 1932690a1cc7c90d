package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.k8s.LeaderGate;
import java.time.Duration;

/**
 * Whether this replica may act: always when it runs alone, else while it holds the Lease.
 * Thread-safe.
 */
interface Leadership {
  /** A replica without leader election: it leads, with no fencing token. */
  Leadership SOLE =
      new Leadership() {
        @Override
        public boolean isLeader() {
          return true;
        }

        @Override
        public boolean holdsFor(Duration spare) {
          return true;
        }

        @Override
        public long token() {
          return 0;
        }

        @Override
        public boolean ready() {
          return true;
        }
      };

  boolean isLeader();

  /** Leads, with the lease its own for at least {@code spare} more. */
  boolean holdsFor(Duration spare);

  /** The fencing token of the current leadership. */
  long token();

  /** For a standby: campaigning and reaching the API server, so it can take over. */
  boolean ready();

  static Leadership of(LeaderGate gate) {
    return new Leadership() {
      @Override
      public boolean isLeader() {
        return gate.isLeader();
      }

      @Override
      public boolean holdsFor(Duration spare) {
        return gate.holdsFor(spare);
      }

      @Override
      public long token() {
        return gate.token();
      }

      @Override
      public boolean ready() {
        return gate.reachesApiServer();
      }
    };
  }
}
