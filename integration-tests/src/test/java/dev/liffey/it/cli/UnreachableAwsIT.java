package dev.liffey.it.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * On-call's promise: AWS that never answers is exit 3, naming the endpoint, in under two seconds
 * from the keystroke. The jar runs as a process (JVM start included) against endpoints on 127.0.0.1
 * that drop SYNs or never reply. The bound asserted is generous (5 s: other builds share this
 * machine's two cores); the README has the measured figures.
 */
class UnreachableAwsIT {
  private static final Path CONFIG =
      Path.of("..", "edge-regions.yaml").toAbsolutePath().normalize();
  private static final Duration BOUND = Duration.ofSeconds(5);
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("status"),
          List.of("plan"),
          List.of("history"),
          List.of(
              "scale",
              "--region",
              "eu-west-1",
              "--fleet",
              "relay",
              "--capacity",
              "9",
              "--reason",
              "x",
              "--yes"),
          List.of(
              "prewarm",
              "--region",
              "eu-west-2",
              "--fleet",
              "relay",
              "--capacity",
              "9",
              "--for",
              "1h",
              "--reason",
              "x",
              "--yes"));
  @TempDir Path dir;
  private final NeverAnswering aws = new NeverAnswering();

  @AfterEach
  void close() throws Exception {
    aws.close();
  }

  private void everyCommandExitsThree(URI endpoint, String why) throws Exception {
    for (List<String> command : COMMANDS) {
      long start = System.nanoTime();
      LiffeyJar.Result r = new LiffeyJar(dir, endpoint).run(CONFIG, command.toArray(String[]::new));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(r.exit()).as("liffey %s: %s", command.get(0), r.err()).isEqualTo(3);
      assertThat(r.err())
          .as("liffey %s", command.get(0))
          .isEqualTo(
              "liffey: cannot reach AWS at "
                  + endpoint
                  + ": "
                  + why
                  + ": check that AWS_ENDPOINT_URL ("
                  + endpoint
                  + ") is up\n");
      assertThat(took).as("liffey %s took %s", command.get(0), took).isLessThan(BOUND);
    }
  }

  @Test
  void anEndpointThatDropsSynsIsExitThree_namingIt_inEveryCommand() throws Exception {
    everyCommandExitsThree(aws.droppingSyns(), "no connection within 0.4 s, 2 tries");
  }

  @Test
  void anEndpointThatAcceptsAndNeverRepliesIsExitThree_namingIt_inEveryCommand() throws Exception {
    everyCommandExitsThree(aws.silent(), "no reply within 1.2 s");
  }
}
