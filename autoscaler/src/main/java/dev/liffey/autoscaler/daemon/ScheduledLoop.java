package dev.liffey.autoscaler.daemon;

import java.util.Properties;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control loop on Quartz: one tick every interval, never two at once, and the daemon's other
 * jobs beside it. {@link #close()} starts no new job and returns once the running one has ended.
 */
final class ScheduledLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger("liffey");
  private final Scheduler scheduler;

  /** More jobs on the daemon's scheduler, besides the control loop. */
  @FunctionalInterface
  interface MoreJobs {
    void schedule(Scheduler scheduler) throws SchedulerException;
  }

  private ScheduledLoop(Scheduler scheduler) {
    this.scheduler = scheduler;
  }

  /** Schedules {@code tick} every {@code intervalMillis} from now, and {@code more}, and starts. */
  static ScheduledLoop start(Tick tick, long intervalMillis, MoreJobs more)
      throws SchedulerException {
    ScheduledLoop loop = new ScheduledLoop(scheduler());
    try {
      loop.scheduler.getContext().put(ControlLoopJob.DRIVER, tick);
      loop.scheduler.scheduleJob(
          JobBuilder.newJob(ControlLoopJob.class).withIdentity("control-loop").build(),
          TriggerBuilder.newTrigger()
              .withIdentity("control-loop")
              .startNow()
              .withSchedule(
                  SimpleScheduleBuilder.simpleSchedule()
                      .withIntervalInMilliseconds(intervalMillis)
                      .repeatForever()
                      .withMisfireHandlingInstructionNextWithRemainingCount())
              .build());
      more.schedule(loop.scheduler);
      loop.scheduler.start();
      return loop;
    } catch (SchedulerException | RuntimeException e) {
      loop.close();
      throw e;
    }
  }

  private static Scheduler scheduler() throws SchedulerException {
    Properties p = new Properties();
    // Each loop its own scheduler: Quartz keeps schedulers by name, one per JVM otherwise.
    p.setProperty(
        "org.quartz.scheduler.instanceName", "liffey-autoscaler-" + System.identityHashCode(p));
    // Not Quartz's SimpleThreadPool: its shutdown(true) can wait for ever for a job it lost (see
    // the class).
    p.setProperty("org.quartz.threadPool.class", ExecutorThreadPool.class.getName());
    p.setProperty("org.quartz.threadPool.threadCount", "2");
    p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    return new StdSchedulerFactory(p).getScheduler();
  }

  /** Idempotent. */
  @Override
  public void close() {
    try {
      if (!scheduler.isShutdown()) {
        scheduler.shutdown(true);
      }
    } catch (SchedulerException e) {
      log.warn("scheduler did not shut down cleanly: {}", e.getMessage());
    }
  }
}
