package dev.liffey.edge.feeds;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * This machine's load as {@link Headroom} reads it: the whole machine's CPU (the JVM's view of it)
 * and the bytes every interface but loopback has sent, from {@code /proc/net/dev}, as bits a second
 * since the last read (unknown on the first read, or where there is no {@code /proc}).
 */
public final class HostLoad implements Supplier<Headroom.Load> {
  private final Path netDev;
  private long lastBytes = -1;
  private long lastNanos;

  public HostLoad() {
    this(Path.of("/proc/net/dev"));
  }

  HostLoad(Path netDev) {
    this.netDev = netDev;
  }

  @Override
  public Headroom.Load get() {
    double cpu =
        ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os
            ? Math.max(0, os.getCpuLoad())
            : 0;
    return new Headroom.Load(cpu, egress(System.nanoTime()));
  }

  OptionalDouble egress(long nanos) {
    long bytes;
    try {
      bytes = sentBytes(Files.readAllLines(netDev));
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
    long before = lastBytes;
    long since = nanos - lastNanos;
    lastBytes = bytes;
    lastNanos = nanos;
    if (before < 0 || since <= 0 || bytes < before) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((bytes - before) * 8 * 1e9 / since);
  }

  /** The transmitted bytes of every interface but {@code lo}: the ninth number after its name. */
  static long sentBytes(List<String> lines) {
    long sum = 0;
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue; // the two header lines
      }
      if (line.substring(0, colon).strip().equals("lo")) {
        continue;
      }
      String[] fields = line.substring(colon + 1).strip().split("\\s+");
      sum += Long.parseLong(fields[8]);
    }
    return sum;
  }
}
