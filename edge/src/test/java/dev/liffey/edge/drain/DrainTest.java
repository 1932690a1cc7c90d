package dev.liffey.edge.drain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.edge.janus.JanusApi;
import dev.liffey.edge.viewers.Viewer;
import dev.liffey.edge.viewers.Viewers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** A relay leaving its group: nobody new, nobody dropped, and the group told when it may go. */
class DrainTest {
  private Instant now = Instant.parse("2026-12-01T21:00:00Z");
  private String state = "InService";
  private boolean imdsAnswers = true;
  private final List<String> calls = new ArrayList<>();
  private final Viewers viewers = new Viewers();
  private final LifecycleActions lifecycle =
      new LifecycleActions() {
        @Override
        public void heartbeat() {
          calls.add("heartbeat");
        }

        @Override
        public void complete() {
          calls.add("complete");
        }
      };
  private final Clock clock =
      new Clock() {
        @Override
        public Instant instant() {
          return now;
        }

        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }
      };
  private Drain drain =
      new Drain(
          () -> imdsAnswers ? Optional.of(state) : Optional.empty(),
          lifecycle,
          accept -> calls.add(accept ? "janus accepts new sessions" : "janus refuses new sessions"),
          viewers::size,
          "viewers",
          Duration.ofSeconds(60),
          Duration.ofMinutes(30),
          clock);

  private void watching(long session) {
    viewers.offered(
        new Viewer(
            "v" + session,
            "IE",
            "match",
            1,
            new JanusApi.Viewer(session, 1),
            now,
            false,
            OptionalDouble.empty()));
    viewers.watching("v" + session);
  }

  private void tickFor(Duration d) {
    Instant until = now.plus(d);
    while (now.isBefore(until)) {
      drain.tick();
      now = now.plusSeconds(5);
    }
  }

  @Test
  void inServiceOrUnreadable_theRelayKeepsAdmitting() {
    watching(1);
    tickFor(Duration.ofMinutes(2));
    imdsAnswers = false;
    tickFor(Duration.ofMinutes(2));

    assertThat(drain.draining()).isFalse();
    assertThat(calls).isEmpty();
  }

  @Test
  void terminating_itStopsAdmitting_heartbeatsWhileViewersWatch_andCompletesWhenTheLastLeaves() {
    watching(1);
    watching(2);
    state = "Terminated";

    tickFor(Duration.ofSeconds(150));
    assertThat(drain.draining()).isTrue();
    assertThat(calls).containsExactly("janus refuses new sessions", "heartbeat", "heartbeat");

    viewers.remove("v1");
    tickFor(Duration.ofSeconds(30));
    assertThat(calls).doesNotContain("complete");

    viewers.remove("v2");
    tickFor(Duration.ofSeconds(30));
    assertThat(calls).endsWith("complete").containsOnlyOnce("complete");
    assertThat(drain.completed()).isTrue();
  }

  @Test
  void anEmptyRelayGoesAtOnce_evenFromTheWarmPool() {
    state = "Warmed:Terminated";

    tickFor(Duration.ofSeconds(5));

    assertThat(calls).containsExactly("janus refuses new sessions", "complete");
  }

  @Test
  void viewersWhoNeverLeave_areWaitedForUntilTheDrainBound_thenTheRelayGoes() {
    watching(1);
    state = "Terminated";

    tickFor(Duration.ofMinutes(29));
    assertThat(calls).doesNotContain("complete");
    tickFor(Duration.ofMinutes(2));

    assertThat(calls).containsOnlyOnce("complete");
    assertThat(calls.stream().filter("heartbeat"::equals).count()).isBetween(28L, 30L);
  }

  @Test
  void aScaleInThatReturnsTheRelayToTheWarmPool_drainsItToo_andBackInServiceItAdmitsAgain() {
    watching(1);
    tickFor(Duration.ofSeconds(10));
    state = "Warmed:Hibernated"; // reuse on scale-in: paused in Warmed:Pending:Wait for the hook

    tickFor(Duration.ofSeconds(70));
    assertThat(drain.draining()).isTrue();
    viewers.remove("v1");
    tickFor(Duration.ofSeconds(5));
    assertThat(calls).containsExactly("janus refuses new sessions", "heartbeat", "complete");

    state = "InService";
    tickFor(Duration.ofSeconds(5));
    assertThat(drain.draining()).isFalse();
    assertThat(calls).endsWith("janus accepts new sessions");
  }

  @Test
  void anInstanceLaunchedIntoTheWarmPool_isNotDrained_forItNeverServed() {
    state = "Warmed:Stopped";

    tickFor(Duration.ofMinutes(1));

    assertThat(drain.draining()).isFalse();
    assertThat(calls).isEmpty();
  }

  @Test
  void theRelayIsToldOnceWhenEachDrainStarts_andWhenItIsBackInService_evenIfJanusFails() {
    drain =
        new Drain(
            () -> Optional.of(state),
            lifecycle,
            accept -> {
              if (!accept) {
                throw new IllegalStateException("Janus's admin API cannot close it");
              }
            },
            leaving -> calls.add(leaving ? "viewers asked to reconnect" : "back in service"),
            viewers::size,
            "viewers",
            Duration.ofSeconds(60),
            Duration.ofMinutes(30),
            clock);
    watching(1);
    tickFor(Duration.ofSeconds(10));
    state = "Warmed:Hibernated";

    tickFor(Duration.ofSeconds(30));
    assertThat(calls).containsExactly("viewers asked to reconnect");

    state = "InService";
    tickFor(Duration.ofSeconds(5));
    state = "Terminated";
    tickFor(Duration.ofSeconds(5));

    assertThat(calls)
        .containsExactly(
            "viewers asked to reconnect", "back in service", "viewers asked to reconnect");
  }
}
