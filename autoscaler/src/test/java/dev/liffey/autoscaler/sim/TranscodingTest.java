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

    // One more stream went live after the plan: 0.13 slots are left, enough for 480/360 only
    // partly: the agent shortens what it can, and what does not fit waits.
    Transcoding joined = Transcoding.of(36, 30, plan);
    double left = 30 - 26 - 9 * Ladder.FROM_720.slotShare();
    assertThat(joined.waiting()).isCloseTo(1 - left / Ladder.FROM_480.slotShare(), within(1e-9));
    assertThat(joined.shortened()).isCloseTo(9 + left / Ladder.FROM_480.slotShare(), within(1e-9));
  }
}
