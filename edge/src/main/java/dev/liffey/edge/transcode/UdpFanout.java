package dev.liffey.edge.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies UDP datagrams (RTP packets of one rendition, or the MPEG-TS of a stream's source) from
 * local ports to destinations that may change while it runs: the relays in service, or the encoders
 * reading a source. Each local port is a source of one generation (an encoder process); the newest
 * generation that has sent anything is the one copied, so when a new encoder's first packet arrives
 * the older encoders' packets are dropped from then on. An encoder's first frame is a keyframe, so
 * the relays switch at one and a viewer sees no gap. Thread-safe.
 */
public final class UdpFanout implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpFanout.class);
  private static final int MAX_DATAGRAM = 65_535;

  private final String name;
  private final DatagramSocket out;
  private final Map<Integer, DatagramSocket> sources = new ConcurrentHashMap<>();
  private final AtomicLong forwarded = new AtomicLong();
  private volatile List<InetSocketAddress> destinations = List.of();
  private volatile int active = -1;
  private volatile boolean closed;

  /**
   * @param name what it carries, for logs and thread names ({@code match-1 720p})
   */
  public UdpFanout(String name) {
    this.name = name;
    try {
      this.out = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot open a UDP socket for " + name, e);
    }
  }

  /**
   * A local port (127.0.0.1) for generation {@code generation} to send to.
   *
   * @return the port
   */
  public int addSource(int generation) {
    DatagramSocket in;
    try {
      in = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    } catch (SocketException e) {
      throw new UncheckedIOException("cannot open a UDP socket for " + name, e);
    }
    sources.put(generation, in);
    Thread t = new Thread(() -> copy(generation, in), "fanout " + name + " #" + generation);
    t.setDaemon(true);
    t.start();
    return in.getLocalPort();
  }

  /** Stops listening for {@code generation}: its encoder is gone. */
  public void removeSource(int generation) {
    DatagramSocket in = sources.remove(generation);
    if (in != null) {
      in.close();
    }
  }

  public void setDestinations(List<InetSocketAddress> to) {
    destinations = List.copyOf(to);
  }

  public List<InetSocketAddress> destinations() {
    return destinations;
  }

  /** The generation being copied; -1 before any has sent. */
  public int activeGeneration() {
    return active;
  }

  /** Datagrams copied, each counted once however many destinations it went to. */
  public long forwarded() {
    return forwarded.get();
  }

  private void copy(int generation, DatagramSocket in) {
    byte[] buf = new byte[MAX_DATAGRAM];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    while (!closed) {
      try {
        p.setLength(buf.length);
        in.receive(p);
      } catch (IOException e) {
        return; // removed or closed
      }
      // One lock for the check and the sends: no packet of a superseded encoder goes out after
      // the first of the new one.
      synchronized (this) {
        if (generation < active) {
          continue; // superseded: a newer encoder has started sending
        }
        if (generation > active) {
          switchTo(generation);
        }
        for (InetSocketAddress to : destinations) {
          try {
            out.send(new DatagramPacket(buf, p.getLength(), to));
          } catch (IOException e) {
            log.debug("{}: datagram to {} not sent: {}", name, to, e.getMessage());
          }
        }
      }
      forwarded.incrementAndGet();
    }
  }

  private void switchTo(int generation) {
    if (active >= 0) {
      log.info("{}: switched to encoder #{} from #{}", name, generation, active);
    } else {
      log.info("{}: first packets, from #{}", name, generation);
    }
    active = generation;
  }

  @Override
  public void close() {
    closed = true;
    sources.values().forEach(DatagramSocket::close);
    sources.clear();
    out.close();
  }
}
