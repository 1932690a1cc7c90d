package dev.liffey.it.edge;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A real Janus (Debian's package) on 127.0.0.1 with a configuration written for the test: the HTTP
 * and admin APIs on free ports, the streaming plugin with one RTP mountpoint (H.264 96 and Opus
 * 111) fed on two free UDP ports, and the sample event handler posting to a relay agent.
 */
final class JanusServer implements AutoCloseable {
  static final String BINARY = "/usr/bin/janus";
  static final String LIBS = "/usr/lib/x86_64-linux-gnu/janus";
  static final long MOUNTPOINT = 1;
  static final String ADMIN_SECRET = "admin-secret-for-tests";
  static final String MOUNTPOINT_SECRET = "mountpoint-secret-for-tests";

  final int httpPort = Ports.tcp();
  final int adminPort = Ports.tcp();
  final int videoPort = Ports.udp();
  final int audioPort = Ports.udp();
  private final Process process;
  final Path dir;

  /**
   * @param events where the event handler posts (the relay agent's {@code /janus-events})
   * @param rtpPorts the ICE media port range, such as {@code 40000-40099}
   */
  JanusServer(Path dir, URI events, String rtpPorts) throws IOException, InterruptedException {
    this.dir = dir;
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("janus.jcfg"),
        """
        general: {
          configs_folder = "%1$s"
          plugins_folder = "%2$s/plugins"
          transports_folder = "%2$s/transports"
          events_folder = "%2$s/events"
          loggers_folder = "%2$s/loggers"
          log_to_stdout = true
          debug_level = 4
          admin_secret = "%3$s"
        }
        media: { rtp_port_range = "%4$s" }
        nat: { nice_debug = false, ice_keepalive_conncheck = true }
        plugins: { disable = "libjanus_audiobridge.so,libjanus_duktape.so,libjanus_echotest.so,libjanus_lua.so,libjanus_nosip.so,libjanus_recordplay.so,libjanus_sip.so,libjanus_textroom.so,libjanus_videocall.so,libjanus_videoroom.so,libjanus_voicemail.so" }
        transports: { disable = "libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so,libjanus_websockets.so" }
        loggers: { disable = "libjanus_jsonlog.so" }
        events: {
          broadcast = true
          stats_period = 2
          disable = "libjanus_gelfevh.so,libjanus_mqttevh.so,libjanus_nanomsgevh.so,libjanus_rabbitmqevh.so,libjanus_wsevh.so"
        }
        """
            .formatted(dir, LIBS, ADMIN_SECRET, rtpPorts));
    Files.writeString(
        dir.resolve("janus.transport.http.jcfg"),
        """
        general: { json = "plain", base_path = "/janus", http = true, ip = "127.0.0.1", port = %d, https = false }
        admin: { admin_base_path = "/admin", admin_http = true, admin_ip = "127.0.0.1", admin_port = %d, admin_https = false }
        """
            .formatted(httpPort, adminPort));
    Files.writeString(
        dir.resolve("janus.plugin.streaming.jcfg"),
        """
        match: {
          type = "rtp"
          id = %d
          description = "test pattern"
          secret = "%s"
          audio = true
          audioport = %d
          audiopt = 111
          audiocodec = "opus"
          audiortpmap = "opus/48000/2"
          video = true
          videoport = %d
          videopt = 96
          videocodec = "h264"
          videortpmap = "H264/90000"
          videofmtp = "profile-level-id=42e01f;packetization-mode=1"
        }
        """
            .formatted(MOUNTPOINT, MOUNTPOINT_SECRET, audioPort, videoPort));
    Files.writeString(
        dir.resolve("janus.eventhandler.sampleevh.jcfg"),
        """
        general: { enabled = true, events = "sessions,handles,webrtc,media", grouping = true, json = "plain", backend = "%s" }
        """
            .formatted(events));
    Files.writeString(dir.resolve("admin-secret"), ADMIN_SECRET);
    Files.writeString(dir.resolve("mountpoint-secret"), MOUNTPOINT_SECRET);
    process =
        new ProcessBuilder(BINARY, "-F", dir.toString(), "-C", dir.resolve("janus.jcfg").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("janus.log").toFile())
            .start();
    awaitHttp(URI.create("http://127.0.0.1:" + httpPort + "/janus/info"));
  }

  long pid() {
    return process.pid();
  }

  URI api() {
    return URI.create("http://127.0.0.1:" + httpPort + "/janus");
  }

  URI admin() {
    return URI.create("http://127.0.0.1:" + adminPort + "/admin");
  }

  private void awaitHttp(URI uri) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "Janus exited ("
                + process.exitValue()
                + "): "
                + Files.readString(dir.resolve("janus.log")));
      }
      try {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        c.setConnectTimeout(300);
        if (c.getResponseCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("Janus did not answer at " + uri + " within 20 s");
  }

  @Override
  public void close() {
    process.destroy();
  }
}
