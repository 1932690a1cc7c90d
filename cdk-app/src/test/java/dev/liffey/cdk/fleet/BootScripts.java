package dev.liffey.cdk.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reading a fleet's boot script as the instance will: the files it writes, bash that parses. */
public final class BootScripts {
  private BootScripts() {}

  /** What the boot script writes between {@code cat > <file> <<'<END>'} and {@code END}. */
  public static String written(String script, String file, String end) {
    Matcher m =
        Pattern.compile(
                "cat > " + Pattern.quote(file) + " <<'" + end + "'\n(.*?)\n" + end + "\n",
                Pattern.DOTALL)
            .matcher(script);
    assertThat(m.find()).as("the boot script writes %s", file).isTrue();
    return m.group(1);
  }

  /** The boot script and every script it writes ({@code <<'SH'} ... {@code SH}). */
  public static List<String> withWrittenScripts(String script) {
    List<String> scripts = new ArrayList<>(List.of(script));
    Matcher written = Pattern.compile("<<'SH'\n(.*?)\nSH\n", Pattern.DOTALL).matcher(script);
    while (written.find()) {
      scripts.add(written.group(1));
    }
    return scripts;
  }

  /** Asserts each script is bash that parses ({@code bash -n}), written to files in {@code dir}. */
  public static void assertParse(Path dir, List<String> scripts) throws Exception {
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
}
