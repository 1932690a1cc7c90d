package dev.liffey.autoscaler.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BundledTracesTest {
  @ParameterizedTest
  @ValueSource(strings = {"viral-spike", "match", "diurnal-week", "dublin-latency-incident"})
  void theBundledTraceIsExactlyWhatTheGeneratorMakesFromSeedOne(String scenario)
      throws IOException {
    String bundled;
    try (InputStream in =
        BundledTraces.class.getResourceAsStream(BundledTraces.FOLDER + scenario + ".csv")) {
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(bundled).isEqualTo(TraceGenerator.generate(scenario, 1));
  }
}
