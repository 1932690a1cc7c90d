package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hourly: removes expired floors, pins, overrides and events (DynamoDB's TTL can take days) and
 * logs what is in force.
 */
@DisallowConcurrentExecution
public final class HousekeepingJob extends LeaderJob {
  private static final Logger log = LoggerFactory.getLogger("liffey");

  @Override
  void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store) {
    int removed = store.removeExpired(Instant.now());
    var state = store.read();
    log.info(
        "housekeeping: removed {} expired records; in force: {} floors, {} freezes, {} pins, {} overrides,"
            + " {} drained regions, {} added events",
        removed,
        state.floors().size(),
        state.freezes().size(),
        state.pins().size(),
        state.overrides().size(),
        state.drains().size(),
        state.events().size());
  }
}
