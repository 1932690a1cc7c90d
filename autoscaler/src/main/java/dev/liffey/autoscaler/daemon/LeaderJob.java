package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.core.config.EdgeConfig;
import java.util.function.BooleanSupplier;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerContext;
import org.quartz.SchedulerException;

/** A daemon job that only the leader runs, with the config and control store from the scheduler. */
abstract class LeaderJob implements Job {
  @Override
  public final void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      SchedulerContext ctx = context.getScheduler().getContext();
      if (((BooleanSupplier) ctx.get(DaemonJobs.LEADER)).getAsBoolean()) {
        run(
            context,
            (EdgeConfig) ctx.get(DaemonJobs.CONFIG),
            (DynamoDbControlStore) ctx.get(DaemonJobs.STORE));
      }
    } catch (SchedulerException | RuntimeException e) {
      throw new JobExecutionException(
          getClass().getSimpleName() + " failed: " + e.getMessage(), e, false);
    }
  }

  abstract void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store);
}
