package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.autoscaler.TestConfigs;
import dev.liffey.autoscaler.engine.ControlState.CapacityFloor;
import dev.liffey.autoscaler.engine.EventPrewarm;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.impl.matchers.GroupMatcher;

class DaemonJobsTest {
  private final dev.liffey.core.config.EdgeConfig config = TestConfigs.repository();

  @Test
  void aKnownEventPrewarmsDublinAndLondonForItsAudience_beforeItsLeadAndTheSlowestBoot() {
    var derby =
        config.events().get(0); // URC: Leinster v Munster, 85,000 IE viewers at 17:30, 20 min lead

    List<CapacityFloor> floors = EventPrewarm.floors(config, derby);

    // IE is split 200/55 between Dublin and London; 1,500 viewers a relay at 90%.
    assertThat(floors)
        .extracting(CapacityFloor::region, CapacityFloor::capacity)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("eu-west-1", 50),
            org.assertj.core.groups.Tuple.tuple("eu-west-2", 14));
    // Until the audience has had the 20-minute lead to arrive after kick-off; then what is seen
    // decides.
    assertThat(floors)
        .allSatisfy(f -> assertThat(f.until()).isEqualTo(Instant.parse("2026-12-26T17:50:00Z")));
    assertThat(EventPrewarm.prewarmAt(config, derby))
        .isEqualTo(Instant.parse("2026-12-26T17:08:25Z"));
  }

  @Test
  void schedulesAPrewarmPerEventStillToCome_theAddedEventsJob_andHousekeeping() throws Exception {
    Properties p = new Properties();
    p.setProperty("org.quartz.scheduler.instanceName", "jobs-test");
    p.setProperty("org.quartz.threadPool.threadCount", "1");
    p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
    Scheduler scheduler = new StdSchedulerFactory(p).getScheduler();
    try {
      int scheduled =
          DaemonJobs.schedule(
              scheduler, config, null, () -> true, Instant.parse("2026-12-27T00:00:00Z"));

      // The derby has ended by then; the two Six Nations entries are still to come.
      assertThat(scheduled).isEqualTo(2);
      assertThat(scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals("events")))
          .extracting(TriggerKey::getName)
          .containsExactlyInAnyOrder("prewarm-1", "prewarm-2");
      assertThat(
              scheduler
                  .getTrigger(TriggerKey.triggerKey("prewarm-1", "events"))
                  .getNextFireTime()
                  .toInstant())
          .isEqualTo(EventPrewarm.prewarmAt(config, config.events().get(1)));
      assertThat(scheduler.checkExists(TriggerKey.triggerKey("housekeeping"))).isTrue();
      assertThat(scheduler.checkExists(TriggerKey.triggerKey("added-events"))).isTrue();
    } finally {
      scheduler.shutdown();
    }
  }

  @Test
  void anEventAddedAtRunTimeIsDueFromItsPrewarmTime_untilItsFloorsAreWritten() {
    var added =
        new dev.liffey.core.config.KnownEvent(
            "Cup replay",
            "IE",
            Instant.parse("2026-12-30T20:00:00Z"),
            java.time.Duration.ofHours(2),
            60_000,
            java.time.Duration.ofMinutes(20));
    var state = dev.liffey.autoscaler.engine.ControlState.EMPTY.withEvents(List.of(added));
    Instant prewarmAt = EventPrewarm.prewarmAt(config, added);

    assertThat(EventPrewarm.due(config, state, prewarmAt.minusSeconds(60))).isEmpty();
    assertThat(EventPrewarm.due(config, state, prewarmAt)).containsOnlyKeys("Cup replay");
    List<CapacityFloor> due = EventPrewarm.due(config, state, prewarmAt).get("Cup replay");
    assertThat(due)
        .extracting(CapacityFloor::region)
        .containsExactlyInAnyOrder("eu-west-1", "eu-west-2");
    assertThat(due)
        .allSatisfy(f -> assertThat(f.reason()).startsWith("known event 'Cup replay' at"));

    var written =
        new dev.liffey.autoscaler.engine.ControlState(due, List.of(), List.of())
            .withEvents(List.of(added));
    assertThat(EventPrewarm.due(config, written, prewarmAt.plusSeconds(60))).isEmpty();
    assertThat(EventPrewarm.due(config, state, added.end())).isEmpty();
  }
}
