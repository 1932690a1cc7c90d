package dev.liffey.cdk;

import dev.liffey.cdk.relay.EdgeAgentJar;
import dev.liffey.core.config.ConfigReport;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.core.config.LoadedConfig;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/**
 * The CDK app: {@code npx cdk synth} in {@code cdk-app/}. Reads {@code ../edge-regions.yaml} (or
 * {@code $LIFFEY_CONFIG}), refuses an invalid one before any construct is made (exit 2), stops with
 * one line if the relay agent's jar has not been built (exit 1), builds every stack and runs
 * cdk-nag's AWS Solutions checks over them, on a deep stack ({@link DeepStack}).
 */
public final class LiffeyCdkApp {
  private LiffeyCdkApp() {}

  public static void main(String[] args) throws IOException {
    Path configFile =
        Path.of(
            System.getenv().getOrDefault("LIFFEY_CONFIG", "../" + EdgeConfigLoader.DEFAULT_FILE));
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    Optional<LoadedConfig> loaded =
        ConfigReport.load(
            configFile,
            err,
            "nothing was synthesized. Fix them, or run"
                + " 'liffey validate --config "
                + configFile
                + "'.");
    if (loaded.isEmpty()) {
      System.exit(2);
      return;
    }
    String yaml = Files.readString(configFile, StandardCharsets.UTF_8);
    int exit;
    try {
      exit = DeepStack.call(() -> synthesize(loaded.get(), yaml, err));
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /**
   * Builds every stack, runs cdk-nag over them and synthesizes: 0, or 1 without the agent's jar.
   */
  private static int synthesize(LoadedConfig loaded, String yaml, PrintWriter err) {
    App app = EdgeApp.newApp();
    try {
      EdgeApp.build(app, loaded.config(), yaml);
    } catch (EdgeAgentJar.MissingException e) {
      err.println("cdk-app: " + e.getMessage() + "; nothing was synthesized.");
      return 1;
    }
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    app.synth();
    return 0;
  }
}
