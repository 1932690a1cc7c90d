package dev.liffey.autoscaler.daemon;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.SchedulerException;

/** The control loop, as a Quartz job: a thin adapter that runs one tick. Never two at once. */
@DisallowConcurrentExecution
public final class ControlLoopJob implements Job {
  static final String DRIVER = "liffey.driver";

  @Override
  public void execute(JobExecutionContext context) throws JobExecutionException {
    try {
      ((Tick) context.getScheduler().getContext().get(DRIVER)).tick();
    } catch (SchedulerException | RuntimeException e) {
      throw new JobExecutionException("control loop tick failed: " + e.getMessage(), e, false);
    }
  }
}
