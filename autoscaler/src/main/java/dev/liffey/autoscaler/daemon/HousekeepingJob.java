package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hourly: removes expired floors and pins (DynamoDB's TTL can take days) and logs what is in force. */
@DisallowConcurrentExecution
public final class HousekeepingJob implements Job {
  private static final Logger log = LoggerFactory.getLogger("liffey");

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      var ctx = context.getScheduler().getContext();
      if (!((BooleanSupplier) ctx.get(DaemonJobs.LEADER)).getAsBoolean()) {
        return;
      }
      DynamoDbControlStore store = (DynamoDbControlStore) ctx.get(DaemonJobs.STORE);
      int removed = store.removeExpired(Instant.now());
      var state = store.read();
      log.info("housekeeping: removed {} expired overrides; in force: {} floors, {} freezes, {} pins", removed,
          state.floors().size(), state.freezes().size(), state.pins().size());
    } catch (SchedulerException | RuntimeException e) {
      throw new JobExecutionException("housekeeping failed: " + e.getMessage(), e, false);
    }
  }
}
