package dev.liffey.core.config;

import java.util.Locale;
import java.util.Optional;

/** Output codecs a transcoder's hardware encoder can produce. */
public enum VideoCodec {
  AV1,
  HEVC,
  H264;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<VideoCodec> fromYaml(String text) {
    for (VideoCodec c : values()) {
      if (c.yamlName().equals(text)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }
}
