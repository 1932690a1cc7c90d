package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.liffey.autoscaler.engine.LadderPlan;
import dev.liffey.core.media.Ladder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Streams on the simulated transcoders, with and without a ladder plan. */
class TranscodingTest {
  @Test
  void withoutAPlanEveryStreamWantsAFullSlot_andTheRestWait() {
    Transcoding t = Transcoding.of(35, 30, null);
    assertThat(t.waiting()).isEqualTo(5);
    assertThat(t.shortened()).isZero();
  }

  @Test
  void planShortenedStreamsAllFit_andAStreamGoneLiveSinceTakesWhatIsLeft() {
    LadderPlan plan =
        new LadderPlan(
            "eu-west-1", 35, Map.of(Ladder.FULL, 26, Ladder.FROM_720, 9), 0, 30, true, "test");

    Transcoding planned = Transcoding.of(35, 30, plan);
    assertThat(planned.waiting()).isZero();
    assertThat(planned.shortened()).isEqualTo(9);

    // One more stream went live after the plan: the 0.13 slots left hold it on 480/360 only in
    // part, so the agents shorten running streams to make room, and it does not wait.
    Transcoding joined = Transcoding.of(36, 30, plan);
    assertThat(joined.waiting()).isZero();
    assertThat(joined.shortened()).isCloseTo(6 / (1 - Ladder.FROM_720.slotShare()), within(1e-9));
  }

  @Test
  void onlyWhenEveryStreamOnTheShortestLadderStillDoesNotFit_doStreamsWait() {
    LadderPlan full = new LadderPlan("eu-west-1", 10, Map.of(Ladder.FULL, 10), 0, 10, false, "");

    // Sixty streams on ten slots: 56.8 of them fit on 480/360.
    Transcoding t = Transcoding.of(60, 10, full);
    assertThat(t.waiting()).isCloseTo(60 - 10 / Ladder.FROM_480.slotShare(), within(1e-9));
    assertThat(t.shortened()).isCloseTo(10 / Ladder.FROM_480.slotShare(), within(1e-9));
  }
}
