package dev.liffey.cdk.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.config.Market;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's boot script as text: bash that parses, and small enough for EC2 to accept. */
class RelayBootTest {
  private static final List<Market> IRELAND_AND_BRITAIN =
      List.of(
          new Market("IE", "Ireland", List.of()), new Market("GB", "United Kingdom", List.of()));

  /** As the template renders it: an S3 URL of about the length the asset's will have. */
  private static String script(List<Market> markets) {
    return "#!/bin/bash\n"
        + RelayBoot.script(
            "eu-west-1",
            markets,
            Duration.ofSeconds(300),
            "s3://cdk-hnb659fds-assets-123456789012-eu-west-1/" + "a".repeat(64) + ".jar");
  }

  @TempDir Path dir;

  @Test
  void theBootScriptAndEveryScriptItWritesAreBashThatParses() throws Exception {
    String script = script(IRELAND_AND_BRITAIN);
    List<String> scripts = new ArrayList<>(List.of(script));
    Matcher written = Pattern.compile("<<'SH'\n(.*?)\nSH\n", Pattern.DOTALL).matcher(script);
    while (written.find()) {
      scripts.add(written.group(1));
    }
    assertThat(scripts).hasSize(4); // the boot script, the NAT and token-key scripts, the wrapper

    for (int i = 0; i < scripts.size(); i++) {
      Path file = dir.resolve("script-" + i + ".sh");
      Files.writeString(file, scripts.get(i), StandardCharsets.UTF_8);
      Process bash =
          new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
      assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
      assertThat(new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .as("bash -n of script %d:%n%s", i, scripts.get(i))
          .isEmpty();
      assertThat(bash.exitValue()).isZero();
    }
  }

  @Test
  void theBootScriptFitsInEc2sSixteenKibibytesOfUserData() {
    assertThat(script(IRELAND_AND_BRITAIN).getBytes(StandardCharsets.UTF_8).length)
        .isLessThan(16 * 1024);
  }

  @Test
  void theAgentStartsWithEveryServedMarketInOneFlag_andWithoutOneWhenTheRegionServesNone() {
    assertThat(script(IRELAND_AND_BRITAIN))
        .contains("  --region eu-west-1 \\\n  --market IE,GB \\\n  --stream live=1 \\\n");
    assertThat(script(List.of()))
        .contains("  --region eu-west-1 \\\n  --stream live=1 \\\n")
        .doesNotContain("--market");
  }
}
