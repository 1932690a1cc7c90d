package dev.liffey.it.edge;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * The Auto Scaling endpoint the relay agents are given: every call goes on to the emulator except
 * the two lifecycle-hook calls moto does not implement, which are recorded and answered as AWS
 * answers them.
 */
final class LifecycleRecorder implements AutoCloseable {
  static final Set<String> RECORDED =
      Set.of("RecordLifecycleActionHeartbeat", "CompleteLifecycleAction");
  private static final Set<String> HOP =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  /** One recorded call, with its form parameters. */
  record Call(String action, Map<String, String> params) {}

  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI emulator;
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  LifecycleRecorder(URI emulator) throws IOException {
    this.emulator = emulator;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Call> calls(String action, String instanceId) {
    return calls.stream()
        .filter(c -> c.action().equals(action) && instanceId.equals(c.params().get("InstanceId")))
        .toList();
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      byte[] body = x.getRequestBody().readAllBytes();
      Map<String, String> params = form(new String(body, StandardCharsets.UTF_8));
      String action = params.getOrDefault("Action", "");
      if (RECORDED.contains(action)) {
        calls.add(new Call(action, params));
        byte[] answer =
            ("<"
                    + action
                    + "Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
                    + "<"
                    + action
                    + "Result/><ResponseMetadata><RequestId>recorded</RequestId>"
                    + "</ResponseMetadata></"
                    + action
                    + "Response>")
                .getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "text/xml");
        x.sendResponseHeaders(200, answer.length);
        x.getResponseBody().write(answer);
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(emulator.resolve(x.getRequestURI().toString()))
              .method(x.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      x.getRequestHeaders()
          .forEach(
              (k, vs) -> {
                if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                  vs.forEach(v -> forward.header(k, v));
                }
              });
      HttpResponse<byte[]> r =
          client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers()
          .map()
          .forEach(
              (k, vs) -> {
                if (!HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.equals(":status")) {
                  vs.forEach(v -> x.getResponseHeaders().add(k, v));
                }
              });
      x.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
      x.getResponseBody().write(r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, String> form(String body) {
    return java.util.Arrays.stream(body.split("&"))
        .filter(p -> p.contains("="))
        .collect(
            Collectors.toMap(
                p -> URLDecoder.decode(p.substring(0, p.indexOf('=')), StandardCharsets.UTF_8),
                p -> URLDecoder.decode(p.substring(p.indexOf('=') + 1), StandardCharsets.UTF_8),
                (a, b) -> b));
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
