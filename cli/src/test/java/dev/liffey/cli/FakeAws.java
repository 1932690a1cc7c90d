package dev.liffey.cli;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Stand-ins for AWS on 127.0.0.1, set as the CLI's endpoint ({@code aws.endpointUrl}) with test
 * credentials: one that answers every call with the same error, and three that never answer (a
 * closed port, a port that accepts and never replies, a port whose backlog is full so SYNs are
 * dropped).
 */
final class FakeAws implements AutoCloseable {
  private final List<AutoCloseable> open = new ArrayList<>();
  private final Map<String, String> before = new java.util.HashMap<>();

  FakeAws() {
    set("aws.accessKeyId", "testing");
    set("aws.secretAccessKey", "testing");
    set("aws.region", "eu-west-1");
  }

  /** Every call answered with {@code status}, {@code body} and {@code headers}. */
  URI answering(int status, String body, Map<String, String> headers) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
    open.add(() -> server.stop(0));
    return use(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));
  }

  /** A port nothing listens on: connection refused. */
  URI closed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    return use(URI.create("http://127.0.0.1:" + port));
  }

  /** Accepts every connection and never replies. */
  URI silent() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    List<Socket> accepted = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread t =
        new Thread(
            () -> {
              try {
                while (true) {
                  accepted.add(server.accept());
                }
              } catch (IOException e) {
                // closed
              }
            });
    t.setDaemon(true);
    t.start();
    open.add(server);
    open.add(
        () ->
            accepted.forEach(
                s -> {
                  try {
                    s.close();
                  } catch (IOException e) {
                    // best effort
                  }
                }));
    return use(URI.create("http://127.0.0.1:" + server.getLocalPort()));
  }

  /**
   * Listens, never accepts, and has a full backlog: the kernel drops further SYNs, as a firewall
   * that drops packets does. Filled until a connect times out.
   */
  URI droppingSyns() throws IOException {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    open.add(server);
    for (int i = 0; i < 16; i++) {
      Socket s = new Socket();
      open.add(s);
      try {
        s.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
      } catch (SocketTimeoutException e) {
        return use(URI.create("http://127.0.0.1:" + server.getLocalPort()));
      }
    }
    throw new IllegalStateException("the backlog never filled: SYNs are not dropped here");
  }

  private URI use(URI endpoint) {
    set("aws.endpointUrl", endpoint.toString());
    return endpoint;
  }

  private void set(String key, String value) {
    before.putIfAbsent(key, System.getProperty(key));
    System.setProperty(key, value);
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open) {
      c.close();
    }
    before.forEach(
        (k, v) -> {
          if (v == null) {
            System.clearProperty(k);
          } else {
            System.setProperty(k, v);
          }
        });
  }
}
