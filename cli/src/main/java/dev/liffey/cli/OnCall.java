package dev.liffey.cli;

import dev.liffey.autoscaler.aws.AwsClients;
import dev.liffey.autoscaler.control.DynamoDbControlStore;
import dev.liffey.core.config.EdgeConfig;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * What every command that talks to AWS shares: the output format, verbosity, and, lazily, the AWS
 * clients, the control table and who the caller is (from STS). AWS that cannot be reached is exit 3
 * ({@link LiffeyCli}).
 */
public final class OnCall {
  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = {"-v", "--verbose"}, description = "Print stack traces of errors.")
  boolean verbose;

  private AwsClients aws;

  boolean json() {
    if (!List.of("table", "json").contains(output)) {
      throw new UsageProblem("unknown output format '" + output + "': use -o table or -o json");
    }
    return output.equals("json");
  }

  AwsClients aws() {
    if (aws == null) {
      aws = AwsClients.fromEnvironment();
    }
    return aws;
  }

  DynamoDbControlStore controlTable(EdgeConfig config) {
    return DynamoDbControlStore.of(config, aws());
  }

  /** The caller's identity, as AWS knows it: what the audit log records as "who". */
  String whoAmI(EdgeConfig config) {
    return aws().sts(config.primaryRegion()).getCallerIdentity().arn();
  }

  void close() {
    if (aws != null) {
      aws.close();
    }
  }
}
