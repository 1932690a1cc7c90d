package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.EventPrewarm;
import dev.liffey.core.config.EdgeConfig;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * Every minute: the relay floors of known events that on-call added at run time ({@code liffey
 * events add}, kept in the control table) once their pre-warm time has come. Config events have
 * their own one-shot triggers ({@link EventPrewarmJob}).
 */
@DisallowConcurrentExecution
public final class AddedEventsJob extends LeaderJob {
  @Override
  void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store) {
    writeDue(config, store, Instant.now());
  }

  /** Writes (audited) the floors due at {@code now}; idempotent. Returns how many were written. */
  public static int writeDue(EdgeConfig config, DynamoDbControlStore store, Instant now) {
    Map<String, List<CapacityFloor>> due = EventPrewarm.due(config, store.read(), now);
    due.forEach((event, floors) -> EventPrewarmJob.write(store, event, floors));
    return due.values().stream().mapToInt(List::size).sum();
  }
}
