package dev.liffey.autoscaler.daemon;

import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.autoscaler.engine.ControlState;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.KnownEvent;
import java.time.Instant;
import java.util.List;
import org.quartz.DisallowConcurrentExecution;
import org.quartz.JobExecutionContext;

/**
 * Every minute: the relay floors of known events that on-call added at run time ({@code liffey events
 * add}, kept in the control table) once their pre-warm time has come. Config events have their own
 * one-shot triggers ({@link EventPrewarmJob}).
 */
@DisallowConcurrentExecution
public final class AddedEventsJob extends LeaderJob {
  @Override
  void run(JobExecutionContext context, EdgeConfig config, DynamoDbControlStore store) {
    writeDue(config, store, Instant.now());
  }

  /** Writes (audited) the floors due at {@code now}; idempotent. Returns how many were written. */
  public static int writeDue(EdgeConfig config, DynamoDbControlStore store, Instant now) {
    ControlState state = store.read();
    List<CapacityFloor> due = EventPrewarm.due(config, state, now);
    for (KnownEvent e : state.events()) {
      List<CapacityFloor> mine = due.stream().filter(f -> f.reason().startsWith(EventPrewarm.reasonPrefix(e.name())))
          .toList();
      EventPrewarmJob.write(store, e.name(), mine);
    }
    return due.size();
  }
}
