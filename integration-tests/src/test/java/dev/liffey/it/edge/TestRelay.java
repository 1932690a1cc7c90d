package dev.liffey.it.edge;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One relay on this machine: a real Janus, and the agent's jar beside it, on free ports. */
final class TestRelay implements AutoCloseable {
  final JanusServer janus;
  final RelayAgent agent;

  private TestRelay(JanusServer janus, RelayAgent agent) {
    this.janus = janus;
    this.agent = agent;
  }

  /**
   * @param rtpFrom the first of Janus's 100 ICE ports
   * @param env the agent's environment (AWS endpoints, credentials)
   * @param flags the agent's flags beyond Janus's, the token key and the stream {@code match}
   */
  static TestRelay start(
      Path dir,
      String name,
      Path tokenKey,
      int rtpFrom,
      Map<String, String> env,
      List<String> flags)
      throws Exception {
    int port = Ports.tcp();
    JanusServer janus =
        new JanusServer(
            dir.resolve(name),
            URI.create("http://127.0.0.1:" + port + "/janus-events"),
            rtpFrom + "-" + (rtpFrom + 99));
    List<String> args =
        new ArrayList<>(
            List.of(
                "--janus",
                janus.api().toString(),
                "--janus-admin",
                janus.admin().toString(),
                "--janus-admin-secret-file",
                janus.dir.resolve("admin-secret").toString(),
                "--token-public-key",
                tokenKey.toString(),
                "--stream",
                "match=" + JanusServer.MOUNTPOINT + ":" + janus.dir.resolve("mountpoint-secret"),
                "--advertise",
                "127.0.0.1:" + port));
    args.addAll(flags);
    RelayAgent agent;
    try {
      agent = new RelayAgent(port, dir.resolve(name + "-agent.log"), env, args);
      agent.awaitListening();
    } catch (Exception e) {
      janus.close();
      throw e;
    }
    return new TestRelay(janus, agent);
  }

  String whep(String stream) {
    return agent.base() + "/whep/" + stream;
  }

  @Override
  public void close() throws InterruptedException {
    agent.close();
    janus.close();
  }
}
