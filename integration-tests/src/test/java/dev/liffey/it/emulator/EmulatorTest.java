package dev.liffey.it.emulator;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.core.config.EdgeConfig;
import dev.liffey.core.config.EdgeConfigLoader;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Base of the emulator ITs: an empty emulated account per test, clients pointed at it. */
public abstract class EmulatorTest {
  protected static final Path REPO_CONFIG = Path.of("..", EdgeConfigLoader.DEFAULT_FILE);
  protected AwsEmulator emulator;
  protected AwsClients aws;
  protected EdgeConfig config;

  @BeforeEach
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
