package dev.liffey.cdk.fleet;

/** How Liffey's agents run under systemd on every fleet, relays and transcoders alike. */
public final class AgentService {
  /**
   * The {@code [Service]} lines every agent unit ends with: restarted whatever stopped it, five
   * seconds apart, and sandboxed (no privilege gain, a read-only system, no home directories, a
   * private /tmp). A unit that writes somewhere adds its own {@code ReadWritePaths}.
   */
  public static final String RESTART_AND_SANDBOX =
      """
      Restart=always
      RestartSec=5
      NoNewPrivileges=true
      ProtectSystem=strict
      ProtectHome=true
      PrivateTmp=true""";

  private AgentService() {}
}
