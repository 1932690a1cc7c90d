package dev.liffey.core.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class H264RenditionTest {
  @Test
  void eachRungIsAnnouncedAtTheLowestLevelThatCarriesItAtSixtyFrames() {
    // 1080p60: 8,160 macroblocks a frame, 489,600 a second: above 4.0's 245,760, within 4.2's
    assertThat(H264Rendition.level(1080)).isEqualTo("4.2");
    // 720p60: 3,600 a frame, 216,000 a second: exactly 3.2's
    assertThat(H264Rendition.level(720)).isEqualTo("3.2");
    assertThat(H264Rendition.level(480)).isEqualTo("3.1");
    // 360p60: 920 a frame, 55,200 a second: above 3.0's 40,500
    assertThat(H264Rendition.level(360)).isEqualTo("3.1");
  }

  @Test
  void theFmtpIsConstrainedBaselineAtThatLevel_inTheHexWebRtcReads() {
    assertThat(H264Rendition.fmtp(1080)).isEqualTo("profile-level-id=42e02a;packetization-mode=1");
    assertThat(H264Rendition.fmtp(720)).isEqualTo("profile-level-id=42e020;packetization-mode=1");
    assertThat(H264Rendition.fmtp(360)).isEqualTo("profile-level-id=42e01f;packetization-mode=1");
  }
}
