package dev.liffey.cdk.fleet;

/**
 * The boot scripts' shared part: {@code liffey-boot-complete}, which completes a group's launch
 * lifecycle hook (CONTINUE) on every boot once the instance's services answer, and its systemd
 * unit. EC2 Auto Scaling stops an instance launched into a warm pool as soon as it runs, without
 * waiting for its user data; the hook holds it until this says it has booted, and abandons it
 * (terminated and replaced) when it never does, so no instance is stopped into a pool
 * half-installed.
 */
public final class BootCompletion {
  /** Where the boot script writes the completer. */
  public static final String COMPLETER = "/usr/local/sbin/liffey-boot-complete";

  /** An IMDSv2 session token in {@code $token}, for {@code "$imds/meta-data/..."}. */
  public static final String IMDS_TOKEN =
      """
      imds=http://169.254.169.254/latest
      token=$(curl -fsS --retry 3 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$imds/api/token")\
      """;

  /**
   * What to wait for and what to complete.
   *
   * @param what the instance's kind, in messages ({@code relay}, {@code transcoder})
   * @param hook the launch lifecycle hook's name
   * @param region the group's region
   * @param ready the body of a bash function that succeeds once the instance serves
   * @param notReady what did not answer, in the message when the wait ends ({@code agent or Janus})
   * @param readyWaitSeconds how long, from its start, the completer waits for {@code ready}
   * @param after the units the completer's unit starts after, besides the network
   */
  public record Spec(
      String what,
      String hook,
      String region,
      String ready,
      String notReady,
      int readyWaitSeconds,
      String after) {}

  private BootCompletion() {}

  /** The completer's script, for {@link #COMPLETER}. */
  public static String script(Spec spec) {
    return """
        #!/bin/bash
        # Completes the launch hook {{HOOK}} (CONTINUE) once this {{WHAT}} serves, on every boot:
        # Auto Scaling holds a new {{WHAT}} in Warmed:Pending:Wait or Pending:Wait, and one leaving
        # the warm pool in Pending:Wait, until then. A boot it does not hold (a reboot) has no action.
        set -euo pipefail
        ready() {
        {{READY}}
        }
        until ready; do
          if (( SECONDS >= {{READY_WAIT}} )); then
            echo "liffey-boot-complete: {{NOT_READY}} not up in {{READY_WAIT}} s; the hook abandons this {{WHAT}}" >&2
            exit 1
          fi
          sleep 2
        done
        {{IMDS_TOKEN}}
        instance_id=$(curl -fsS --retry 3 -H "X-aws-ec2-metadata-token: $token" "$imds/meta-data/instance-id")
        group=$(aws autoscaling describe-auto-scaling-instances \\
          --instance-ids "$instance_id" --region {{REGION}} \\
          --query 'AutoScalingInstances[0].AutoScalingGroupName' --output text)
        if [[ -z $group || $group == None ]]; then
          echo "liffey-boot-complete: $instance_id is in no Auto Scaling group; no hook to complete"
          exit 0
        fi
        if out=$(aws autoscaling complete-lifecycle-action --lifecycle-hook-name {{HOOK}} \\
            --auto-scaling-group-name "$group" --instance-id "$instance_id" \\
            --lifecycle-action-result CONTINUE --region {{REGION}} 2>&1); then
          echo "liffey-boot-complete: $instance_id booted; {{HOOK}} completed (CONTINUE) in $group"
        elif [[ $out == *ValidationError* ]]; then
          echo "liffey-boot-complete: no {{HOOK}} action pending for $instance_id, nothing to do: $out"
        else
          echo "liffey-boot-complete: $out" >&2
          exit 1
        fi"""
        .replace("{{READY}}", spec.ready().stripTrailing())
        .replace("{{IMDS_TOKEN}}", IMDS_TOKEN)
        .replace("{{NOT_READY}}", spec.notReady())
        .replace("{{READY_WAIT}}", String.valueOf(spec.readyWaitSeconds()))
        .replace("{{WHAT}}", spec.what())
        .replace("{{HOOK}}", spec.hook())
        .replace("{{REGION}}", spec.region());
  }

  /** The completer's systemd unit, {@code liffey-boot-complete.service}. */
  public static String unit(Spec spec) {
    return """
        [Unit]
        Description=Liffey {{WHAT}}: tell Auto Scaling it has booted (launch hook {{HOOK}})
        Wants=network-online.target
        After=network-online.target {{AFTER}}

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        TimeoutStartSec=300
        ExecStart={{COMPLETER}}

        [Install]
        WantedBy=multi-user.target"""
        .replace("{{WHAT}}", spec.what())
        .replace("{{HOOK}}", spec.hook())
        .replace("{{AFTER}}", spec.after())
        .replace("{{COMPLETER}}", COMPLETER);
  }

  /**
   * The boot script's lines that write the completer and its unit, ready to enable last: a script
   * heredoc and a unit heredoc.
   */
  public static String writeBoth(Spec spec) {
    return "cat > "
        + COMPLETER
        + " <<'SH'\n"
        + script(spec)
        + "\nSH\nchmod 755 "
        + COMPLETER
        + "\n\ncat > /etc/systemd/system/liffey-boot-complete.service <<'UNIT'\n"
        + unit(spec)
        + "\nUNIT\n";
  }
}
