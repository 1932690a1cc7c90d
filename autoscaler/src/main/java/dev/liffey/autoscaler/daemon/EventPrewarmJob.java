package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.ConcurrentChangeException;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.AuditRecord;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import java.time.Instant;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes a known event's relay floors at its pre-warm time (a one-shot Quartz trigger per event). */
public final class EventPrewarmJob extends LeaderJob {
  static final String EVENT_INDEX = "event";
  private static final Logger log = LoggerFactory.getLogger("liffey");

  @Override
  void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store) {
    KnownEvent event = config.events().get(context.getMergedJobDataMap().getInt(EVENT_INDEX));
    write(store, event.name(), EventPrewarm.floors(config, event));
  }

  /** Audits, then writes each floor; a concurrent change to one is left to the next run. */
  static void write(DynamoDbControlStore store, String event, java.util.List<CapacityFloor> floors) {
    for (CapacityFloor floor : floors) {
      String key = floor.region() + "#" + floor.fleet();
      store.audit(new AuditRecord(Instant.now(), EventPrewarm.WHO, "prewarm", floor.reason(), "",
          "floor " + key + "=" + floor.capacity() + " until " + floor.until()));
      try {
        store.putFloor(floor, store.version("floor", key));
      } catch (ConcurrentChangeException e) {
        log.warn("known event '{}': floor {} changed while writing; the next run of this job decides again",
            event, key);
        continue;
      }
      log.info("known event '{}': relays in {} at least {} until {}", event, floor.region(),
          floor.capacity(), floor.until());
    }
  }
}
