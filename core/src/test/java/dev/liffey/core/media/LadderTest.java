package dev.liffey.core.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LadderTest {
  @Test
  void aShorterLadderTakesItsPixelRatesShareOfAFullLaddersSlot() {
    // 1920x1080 + 1280x720 + 854x480 + 640x360 = 3,635,520 pixels a frame.
    assertThat(Ladder.FULL.slotShare()).isEqualTo(1.0);
    assertThat(Ladder.FROM_720.slotShare()).isCloseTo(1_561_920 / 3_635_520.0, within(1e-12));
    assertThat(Ladder.FROM_480.slotShare()).isCloseTo(640_320 / 3_635_520.0, within(1e-12));
    assertThat(Ladder.FROM_720.label()).isEqualTo("720/480/360");
    assertThat(Ladder.widthOf(480)).isEqualTo(854);
  }

  @Test
  void onCallNamesALadderByItsRungsItsTopRungOrFull() {
    assertThat(Ladder.parse("720/480/360")).isEqualTo(Ladder.FROM_720);
    assertThat(Ladder.parse(" 480p ")).isEqualTo(Ladder.FROM_480);
    assertThat(Ladder.parse("FULL")).isEqualTo(Ladder.FULL);
    assertThat(Ladder.parse("1080")).isEqualTo(Ladder.FULL);
    assertThatThrownBy(() -> Ladder.parse("360"))
        .hasMessageContaining("no ladder '360'")
        .hasMessageContaining("1080/720/480/360, 720/480/360, 480/360");
  }

  @Test
  void streamsFitOnTheFewestShortenedLadders_andWaitOnlyWhenTheShortestCannotHoldThem() {
    LadderMix enough = LadderMix.fit(30, 30);
    assertThat(enough.on(Ladder.FULL)).isEqualTo(30);
    assertThat(enough.waiting()).isZero();

    // 35 streams on 30 slots: x of them on 720/480/360 with 35 - x + 0.43x = 30.
    LadderMix short_ = LadderMix.fit(35, 30);
    assertThat(short_.on(Ladder.FROM_720))
        .isCloseTo(5 / (1 - Ladder.FROM_720.slotShare()), within(1e-9));
    assertThat(short_.on(Ladder.FULL) + short_.on(Ladder.FROM_720)).isCloseTo(35, within(1e-9));
    assertThat(short_.waiting()).isZero();

    // 35 streams on 10 slots: none full; some on 480/360, and the slots used to the last.
    LadderMix shorter = LadderMix.fit(35, 10);
    assertThat(shorter.on(Ladder.FULL)).isZero();
    assertThat(
            shorter.on(Ladder.FROM_720) * Ladder.FROM_720.slotShare()
                + shorter.on(Ladder.FROM_480) * Ladder.FROM_480.slotShare())
        .isCloseTo(10, within(1e-9));
    assertThat(shorter.waiting()).isZero();

    // 35 streams on 5 slots: every stream on 480/360 would need 6.2.
    LadderMix tooFew = LadderMix.fit(35, 5);
    assertThat(tooFew.on(Ladder.FROM_480)).isCloseTo(5 / Ladder.FROM_480.slotShare(), within(1e-9));
    assertThat(tooFew.waiting()).isCloseTo(35 - 5 / Ladder.FROM_480.slotShare(), within(1e-9));
  }
}
