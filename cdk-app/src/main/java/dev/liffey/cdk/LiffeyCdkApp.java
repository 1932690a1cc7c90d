package dev.liffey.cdk;

import dev.liffey.core.config.ConfigProblem;
import dev.liffey.core.config.EdgeConfigLoader;
import dev.liffey.core.config.InvalidConfigException;
import dev.liffey.core.config.LoadedConfig;
import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Aspects;

/**
 * The CDK app: {@code npx cdk synth} in {@code cdk-app/}. Reads {@code ../edge-regions.yaml} (or
 * {@code $LIFFEY_CONFIG}), refuses an invalid one before any construct is made, builds every stack
 * and runs cdk-nag's AWS Solutions checks over them.
 */
public final class LiffeyCdkApp {
  private LiffeyCdkApp() {}

  public static void main(String[] args) throws IOException {
    Path configFile = Path.of(System.getenv().getOrDefault("LIFFEY_CONFIG", "../" + EdgeConfigLoader.DEFAULT_FILE));
    LoadedConfig loaded;
    try {
      loaded = new EdgeConfigLoader().load(configFile);
    } catch (InvalidConfigException e) {
      e.problems().forEach(System.err::println);
      System.err.println(configFile + ": invalid, " + e.problems().size()
          + " problem(s); nothing was synthesized. Fix them, or run 'liffey validate --config " + configFile + "'.");
      System.exit(2);
      return;
    }
    for (ConfigProblem warning : loaded.warnings()) {
      System.err.println("warning: " + warning);
    }
    App app = EdgeApp.newApp();
    EdgeApp.build(app, loaded.config(), Files.readString(configFile, StandardCharsets.UTF_8));
    Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
    app.synth();
  }
}
