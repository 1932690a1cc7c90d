package dev.liffey.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.liffey.autoscaler.ops.OnCallTable;
import dev.liffey.autoscaler.ops.aws.OnCallAws;
import dev.liffey.core.config.EdgeConfig;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * What every command that talks to AWS shares: the output format, verbosity, and, lazily, the AWS
 * clients (on-call's waits: {@link OnCallAws#WAITS}), the control table and who the caller is (from
 * STS). AWS failures are told in on-call's words ({@link AwsErrors}); AWS that cannot be reached is
 * exit 3 ({@link LiffeyCli}).
 */
@Command
public final class OnCall {
  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  private OnCallAws aws;
  private final AwsCallLog calls = new AwsCallLog();

  /** {@code -o}, given before or after the command. */
  Format format() {
    return LiffeyCli.of(mixee).output;
  }

  /** {@code -v}: stack traces of errors. */
  boolean verbose() {
    return LiffeyCli.of(mixee).verbose;
  }

  /** True for a table. */
  boolean table() {
    return format() == Format.TABLE;
  }

  /** Prints {@code doc} as JSON or YAML, as {@code -o} says (instants as ISO-8601 text). */
  void printDocument(PrintWriter out, Object doc) throws JsonProcessingException {
    printDocument(out, doc, format());
  }

  static void printDocument(PrintWriter out, Object doc, Format output)
      throws JsonProcessingException {
    ObjectMapper mapper =
        output == Format.YAML
            ? new ObjectMapper(
                new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
            : new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    if (output != Format.YAML) {
      mapper
          .getFactory()
          .setCharacterEscapes(new Printable.JsonEscapes()); // YAML escapes controls itself
    }
    mapper
        .registerModule(new JavaTimeModule())
        .registerModule(new Jdk8Module())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    String text = mapper.writeValueAsString(doc);
    out.print(text.endsWith("\n") ? text : text + "\n");
  }

  synchronized OnCallAws aws() {
    if (aws == null) {
      aws = OnCallAws.fromEnvironment(List.of(calls));
    }
    return aws;
  }

  /** Every AWS call that failed so far, and where it went. */
  AwsCallLog calls() {
    return calls;
  }

  /**
   * An AWS failure in on-call's words, naming its endpoint; {@code config} names the table and zone
   * when loaded.
   */
  synchronized AwsErrors.Failure failure(SdkException error, Optional<EdgeConfig> config) {
    Optional<URI> override = aws == null ? Optional.empty() : aws.endpoint();
    return new AwsErrors(calls, override, config, OnCallAws.WAITS).describe(error);
  }

  OnCallTable controlTable(EdgeConfig config) {
    return aws().controlTable(config);
  }

  /** The caller's identity, as AWS knows it: what the audit log records as "who". */
  String whoAmI(EdgeConfig config) {
    return aws().whoAmI(config);
  }

  synchronized void close() {
    if (aws != null) {
      aws.close();
    }
  }
}
