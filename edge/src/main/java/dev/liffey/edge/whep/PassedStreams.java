package dev.liffey.edge.whep;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Event streams that the load balancer brought to this relay for a viewer another relay holds,
 * streamed from that relay as they come. Nothing waits on a request thread: the bytes are copied on
 * the HTTP client's threads as they arrive, so an open stream costs a connection, not a thread. A
 * stream ends when the holding relay ends it, the viewer goes (seen at the next write: a keep-alive
 * at most 15 s later) or this relay stops. Thread-safe.
 */
final class PassedStreams implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PassedStreams.class);

  private final HttpClient peers;
  private final Set<Flow.Subscription> open = ConcurrentHashMap.newKeySet();

  PassedStreams(HttpClient peers) {
    this.peers = peers;
  }

  /**
   * Streams what the holding relay answers {@code request} to the viewer; the exchange is closed
   * here, once that stream ends (or 502 when that relay does not answer).
   */
  void pass(HttpExchange x, HttpRequest request) {
    AtomicBoolean answered = new AtomicBoolean();
    peers
        .sendAsync(
            request,
            info -> {
              answered.set(true);
              List.of("Content-Type", "Cache-Control")
                  .forEach(
                      h ->
                          info.headers()
                              .firstValue(h)
                              .ifPresent(v -> x.getResponseHeaders().set(h, v)));
              try {
                x.sendResponseHeaders(info.statusCode(), 0);
              } catch (IOException e) {
                x.close();
                return HttpResponse.BodySubscribers.discarding();
              }
              return HttpResponse.BodySubscribers.fromSubscriber(new Copy(x));
            })
        .whenComplete(
            (r, e) -> {
              if (e != null && answered.compareAndSet(false, true)) {
                unanswered(x, e);
              }
            });
  }

  private static void unanswered(HttpExchange x, Throwable e) {
    try (x) {
      WhepServer.send(
          x, 502, "the relay holding this viewer did not answer: " + e.getMessage() + "\n");
    } catch (IOException gone) {
      // The viewer went too: nothing is left to tell.
    }
  }

  /** Copies the holding relay's bytes to the viewer, flushing each piece as it comes. */
  private final class Copy implements Flow.Subscriber<List<ByteBuffer>> {
    private final HttpExchange x;
    private Flow.Subscription subscription;

    Copy(HttpExchange x) {
      this.x = x;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      open.add(s);
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      try {
        OutputStream out = x.getResponseBody();
        for (ByteBuffer b : item) {
          byte[] bytes = new byte[b.remaining()];
          b.get(bytes);
          out.write(bytes);
        }
        out.flush();
        subscription.request(1);
      } catch (IOException e) {
        end(); // the viewer closed it
      }
    }

    @Override
    public void onError(Throwable e) {
      log.debug("a passed event stream ended: {}", e.toString());
      end();
    }

    @Override
    public void onComplete() {
      end();
    }

    private void end() {
      if (open.remove(subscription)) {
        subscription.cancel();
      }
      x.close();
    }
  }

  /** Ends every stream passed through this relay (it stops). */
  @Override
  public void close() {
    open.forEach(Flow.Subscription::cancel);
    open.clear();
  }
}
