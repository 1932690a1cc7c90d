package dev.liffey.it.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An HTTP proxy on 127.0.0.1 in front of the emulator that answers some requests itself with an
 * injected fault (throttling, 5xx) instead of forwarding them. The rule sees the request count and
 * the request's Authorization header (whose credential scope names region and service).
 */
public final class FaultProxy implements AutoCloseable {
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");
  private final HttpServer server;
  private final HttpClient client = HttpClient.newHttpClient();
  private final URI target;
  private final BiFunction<Integer, String, Integer> fault;
  private final Rewrite rewrite;
  private volatile Observer observer = exchange -> {};
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger injected = new AtomicInteger();

  /**
   * @param fault given the request number (from 1) and the Authorization header, the status to
   *     answer with, 0 to forward the request, or minus a delay in milliseconds to stall it first
   *     (a timeout, as the client sees it)
   */
  public FaultProxy(URI target, BiFunction<Integer, String, Integer> fault) throws IOException {
    this(target, fault, (request, response) -> response);
  }

  /**
   * @param rewrite given the request body and the emulator's response body, the body to answer with
   */
  public FaultProxy(URI target, BiFunction<Integer, String, Integer> fault, Rewrite rewrite)
      throws IOException {
    this.target = target;
    this.fault = fault;
    this.rewrite = rewrite;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  public int injected() {
    return injected.get();
  }

  /**
   * Sees every request once it has been answered: forwarded, or answered with an injected fault.
   */
  public void observe(Observer observer) {
    this.observer = observer;
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      int n = requests.incrementAndGet();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      long started = System.nanoTime();
      String amzTarget = ex.getRequestHeaders().getFirst("X-Amz-Target");
      int status = fault.apply(n, auth == null ? "" : auth);
      if (status < 0) {
        injected.incrementAndGet();
        Thread.sleep(-status);
        status = 0;
      }
      if (status != 0) {
        injected.incrementAndGet();
        byte[] msg = (status == 429 ? "Rate exceeded" : "Service Unavailable").getBytes();
        ex.sendResponseHeaders(status, msg.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(msg);
        }
        observer.answered(
            new Exchange(
                n,
                started,
                System.nanoTime(),
                auth == null ? "" : auth,
                amzTarget,
                ex.getRequestMethod(),
                ex.getRequestURI().toString(),
                new String(body, java.nio.charset.StandardCharsets.UTF_8),
                status,
                true));
        return;
      }
      HttpRequest.Builder forward =
          HttpRequest.newBuilder(target.resolve(ex.getRequestURI().toString()))
              .method(ex.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
      ex.getRequestHeaders()
          .forEach(
              (k, values) -> {
                if (!RESTRICTED.contains(k.toLowerCase())) {
                  values.forEach(v -> forward.header(k, v));
                }
              });
      HttpResponse<byte[]> r =
          client.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
      r.headers()
          .map()
          .forEach(
              (k, values) -> {
                if (!RESTRICTED.contains(k.toLowerCase())
                    && !k.equalsIgnoreCase("transfer-encoding")) {
                  ex.getResponseHeaders().put(k, List.copyOf(values));
                }
              });
      byte[] answer =
          rewrite
              .apply(
                  new String(body, java.nio.charset.StandardCharsets.UTF_8),
                  new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
              .getBytes(java.nio.charset.StandardCharsets.UTF_8);
      ex.getResponseHeaders().remove("Content-Length");
      if (!java.util.Arrays.equals(answer, r.body())) {
        ex.getResponseHeaders()
            .remove("x-amz-crc32"); // the emulator's checksum was of the original body
      }
      ex.sendResponseHeaders(r.statusCode(), answer.length == 0 ? -1 : answer.length);
      if (answer.length > 0) {
        try (OutputStream out = ex.getResponseBody()) {
          out.write(answer);
        }
      }
      observer.answered(
          new Exchange(
              n,
              started,
              System.nanoTime(),
              auth == null ? "" : auth,
              amzTarget,
              ex.getRequestMethod(),
              ex.getRequestURI().toString(),
              new String(body, java.nio.charset.StandardCharsets.UTF_8),
              r.statusCode(),
              false));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One request as the proxy answered it.
   *
   * @param startNanos when it arrived, and {@code endNanos} when it was answered ({@link
   *     System#nanoTime()})
   * @param target the {@code X-Amz-Target} header (JSON protocols name the operation there), or
   *     null
   * @param injected answered with a fault instead of by the emulator
   */
  public record Exchange(
      int number,
      long startNanos,
      long endNanos,
      String authorization,
      String target,
      String method,
      String uri,
      String requestBody,
      int status,
      boolean injected) {}

  /** Told of every exchange, from the proxy's threads. */
  @FunctionalInterface
  public interface Observer {
    void answered(Exchange exchange);
  }

  /** Rewrites an emulator response, given the request that asked for it. */
  @FunctionalInterface
  public interface Rewrite {
    String apply(String requestBody, String responseBody);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
