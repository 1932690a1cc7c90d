package dev.liffey.it.emulator;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/** Base of the emulator ITs: an empty emulated account per test, clients pointed at it. */
public abstract class EmulatorTest {
  protected static final Path REPO_CONFIG = Path.of("..", EdgeConfigLoader.DEFAULT_FILE);
  protected AwsEmulator emulator;
  protected AwsClients aws;
  protected EdgeConfig config;

  @BeforeEach
  @Timeout(
      value = 10,
      unit = TimeUnit.MINUTES) // the first one starts the emulator: a container, or a pip install
  void startEmulator() throws Exception {
    emulator = AwsEmulator.get();
    emulator.reset();
    aws = new AwsClients(Optional.of(emulator.endpoint()));
    config = new EdgeConfigLoader().load(REPO_CONFIG).config();
  }

  @AfterEach
  void closeClients() {
    aws.close();
  }
}
