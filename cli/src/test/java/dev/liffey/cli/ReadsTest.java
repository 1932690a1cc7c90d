package dev.liffey.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.net.ConnectException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;

class ReadsTest {
  private final EdgeConfig edge = load();
  private final Reads reads = new Reads(new OnCall(), edge);

  private static EdgeConfig load() {
    try {
      return new EdgeConfigLoader().load(Path.of("..", "edge-regions.yaml")).config();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void whatWasReadIsKept_andEachFailureIsOneLineNamingTheRead() {
    Optional<String> groups = reads.now("Auto Scaling groups", () -> "4 relays");
    Optional<String> zone =
        reads.now(
            "the IE weights",
            () -> {
              throw new IllegalStateException(
                  "no weighted record ie.edge.live.liffey.example (deploy the routing stack)");
            });

    assertThat(groups).contains("4 relays");
    assertThat(zone).isEmpty();
    assertThat(reads.failures())
        .containsExactly(
            "cannot read the IE weights: no weighted record ie.edge.live.liffey.example (deploy the routing stack)");
    assertThat(reads.exitCode()).isEqualTo(1);
    assertThat(reads.failed("the IE weights")).isTrue();
    assertThat(reads.failed("Auto Scaling groups")).isFalse();
  }

  @Test
  void readsThatFailForOneCauseAreToldInOneLine_andAReadMadeAgainOnce() {
    SdkClientException refused =
        SdkClientException.create(
            "Unable to execute HTTP request: Connection refused",
            new ConnectException("Connection refused"));
    for (int replay = 0; replay < 3; replay++) {
      reads.now(
          "the control table",
          () -> {
            throw refused;
          });
    }
    reads.now(
        "the audit log",
        () -> {
          throw refused;
        });

    assertThat(reads.failures())
        .containsExactly(
            "cannot read the control table and the audit log: cannot reach AWS:"
                + " connection refused: check the network or VPN, then try again");
    assertThat(reads.failuresOfAll())
        .containsExactly(
            "cannot reach AWS: connection refused: check the network or VPN," + " then try again");
    assertThat(reads.exitCode()).as("AWS unreachable").isEqualTo(3);
  }

  @Test
  void anUnexpectedErrorIsNamedWithItsType_andPointsAtVerbose() {
    reads.now(
        "the control table",
        () -> {
          throw new ArrayIndexOutOfBoundsException("Index 1 out of bounds for length 1");
        });

    assertThat(reads.failures())
        .containsExactly(
            "cannot read the control table: ArrayIndexOutOfBoundsException: Index 1"
                + " out of bounds for length 1 (-v for details)");
    assertThat(reads.errors()).hasSize(1);
  }
}
