package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.EventPrewarm;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.function.BooleanSupplier;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;

/**
 * The daemon's Quartz jobs besides the control loop: one pre-warm trigger per known event that has
 * not ended (now, if its pre-warm time has passed), the floors of events added at run time every
 * minute, and housekeeping every hour.
 */
final class DaemonJobs {
  static final String CONFIG = "liffey.config";
  static final String STORE = "liffey.store";
  static final String LEADER = "liffey.leader";
  static final Duration HOUSEKEEPING_EVERY = Duration.ofHours(1);
  static final Duration ADDED_EVENTS_EVERY = Duration.ofMinutes(1);

  private DaemonJobs() {}

  /**
   * @return how many known events were scheduled
   */
  static int schedule(
      Scheduler scheduler,
      EdgeConfig config,
      DynamoDbControlStore store,
      BooleanSupplier leader,
      Instant now)
      throws SchedulerException {
    scheduler.getContext().put(CONFIG, config);
    scheduler.getContext().put(STORE, store);
    scheduler.getContext().put(LEADER, leader);
    int scheduled = 0;
    for (int i = 0; i < config.events().size(); i++) {
      KnownEvent e = config.events().get(i);
      if (!e.end().isAfter(now)) {
        continue;
      }
      Instant at = EventPrewarm.prewarmAt(config, e);
      scheduler.scheduleJob(
          JobBuilder.newJob(EventPrewarmJob.class)
              .withIdentity("prewarm-" + i, "events")
              .usingJobData(EventPrewarmJob.EVENT_INDEX, i)
              .build(),
          TriggerBuilder.newTrigger()
              .withIdentity("prewarm-" + i, "events")
              .startAt(Date.from(at.isBefore(now) ? now : at))
              .build());
      scheduled++;
    }
    scheduler.scheduleJob(
        JobBuilder.newJob(AddedEventsJob.class).withIdentity("added-events").build(),
        TriggerBuilder.newTrigger()
            .withIdentity("added-events")
            .startNow()
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(ADDED_EVENTS_EVERY.toMillis())
                    .repeatForever())
            .build());
    scheduler.scheduleJob(
        JobBuilder.newJob(HousekeepingJob.class).withIdentity("housekeeping").build(),
        TriggerBuilder.newTrigger()
            .withIdentity("housekeeping")
            .startNow()
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(HOUSEKEEPING_EVERY.toMillis())
                    .repeatForever())
            .build());
    return scheduled;
  }
}
