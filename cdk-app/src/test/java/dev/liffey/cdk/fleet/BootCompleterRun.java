package dev.liffey.cdk.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

/**
 * Runs a boot script's {@code liffey-boot-complete} with {@code curl}, {@code aws} and {@code
 * sleep} stubbed on the PATH. The stub {@code curl} answers the agent's {@code /health} with {@code
 * healthCode} ({@code 000}: nothing listens), Janus's info, IMDS's token and instance id; the stub
 * {@code aws} logs its arguments and answers complete-lifecycle-action as {@code completeAnswer}
 * says ({@code ok}, {@code none}: no action pending, else throttled).
 */
public final class BootCompleterRun {
  /** What the completer did: its exit code, its output, and every {@code aws} call, a line each. */
  public record Result(int exitCode, String output, String awsCalls) {}

  private BootCompleterRun() {}

  public static Result run(Path dir, String completer, String completeAnswer, String healthCode)
      throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path script = dir.resolve("liffey-boot-complete");
    Files.writeString(script, completer);
    stub(
        bin.resolve("curl"),
        """
        for a; do last=$a; done
        case $last in
          */health)
            [[ $HEALTH_CODE != 000 ]] || exit 7
            if [[ " $* " == *" -fs "* ]]; then (( HEALTH_CODE < 400 )) || exit 22
            else printf '%s' "$HEALTH_CODE"; fi ;;
          */janus/info) ;;
          */api/token) printf token ;;
          */meta-data/instance-id) printf i-0123456789abcdef0 ;;
          *) exit 22 ;;
        esac
        """);
    stub(
        bin.resolve("aws"),
        """
        echo "$*" >> "$AWS_LOG"
        case "$2:$COMPLETE" in
          describe-auto-scaling-instances:*) echo liffey-eu-west-1-group ;;
          complete-lifecycle-action:ok) ;;
          complete-lifecycle-action:none)
            echo 'An error occurred (ValidationError) when calling the CompleteLifecycleAction' \\
              'operation: No active Lifecycle Action found with instance ID i-0123456789abcdef0' >&2
            exit 254 ;;
          *) echo 'An error occurred (Throttling) when calling the CompleteLifecycleAction' >&2
            exit 254 ;;
        esac
        """);
    stub(bin.resolve("sleep"), "exit 0\n");
    ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("AWS_LOG", dir.resolve("aws.log").toString());
    pb.environment().put("COMPLETE", completeAnswer);
    pb.environment().put("HEALTH_CODE", healthCode);
    // bash counts SECONDS on from the value it finds: an instance whose agent never answers is past
    // the wait at once, not minutes later
    pb.environment().put("SECONDS", healthCode.equals("000") ? "100000" : "0");
    Process bash = pb.start();
    assertThat(bash.waitFor(10, TimeUnit.SECONDS)).isTrue();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Path log = dir.resolve("aws.log");
    return new Result(bash.exitValue(), output, Files.exists(log) ? Files.readString(log) : "");
  }

  private static void stub(Path file, String body) throws Exception {
    Files.writeString(file, "#!/bin/bash\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
