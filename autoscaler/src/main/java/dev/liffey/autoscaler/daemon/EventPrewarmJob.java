package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.EventPrewarm;
import dev.liffey.autoscaler.ops.ConcurrentChangeException;
import dev.liffey.autoscaler.ops.OnCallStore;
import dev.liffey.autoscaler.ops.Write;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import java.time.Instant;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a known event's relay floors at its pre-warm time (a one-shot Quartz trigger per event).
 */
public final class EventPrewarmJob extends LeaderJob {
  static final String EVENT_INDEX = "event";
  private static final Logger log = LoggerFactory.getLogger("liffey");

  @Override
  void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store) {
    KnownEvent event = config.events().get(context.getMergedJobDataMap().getInt(EVENT_INDEX));
    write(store, event.name(), EventPrewarm.floors(config, event));
  }

  /**
   * Writes each floor with its audit record, conditional on the version read; a concurrent change
   * to one is left to the next run.
   */
  static void write(OnCallStore store, String event, java.util.List<CapacityFloor> floors) {
    var control = store.read();
    for (CapacityFloor floor : floors) {
      var key = floor.key();
      try {
        store.commit(
            new AuditRecord(
                Instant.now(),
                EventPrewarm.WHO,
                "prewarm",
                floor.reason(),
                "",
                "floor " + key.id() + "=" + floor.capacity() + " until " + floor.until()),
            java.util.List.of(Write.put(floor, control.version(key))));
      } catch (ConcurrentChangeException e) {
        log.warn(
            "known event '{}': floor {} changed while writing; the next run of this job decides again",
            event,
            key);
        continue;
      }
      log.info(
          "known event '{}': relays in {} at least {} until {}",
          event,
          floor.region(),
          floor.capacity(),
          floor.until());
    }
  }
}
