package dev.liffey.it.edge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A process's CPU time (user + system, from /proc) between two moments, as a share of one core. */
final class CpuTime {
  private static final double TICKS_PER_SECOND = 100; // USER_HZ on Linux
  private final long pid;
  private final double startTicks;
  private final Instant start;

  CpuTime(long pid) throws IOException {
    this.pid = pid;
    this.startTicks = ticks(pid);
    this.start = Instant.now();
  }

  /** Share of one core used since this was made: 0.25 is a quarter of a core. */
  double coresSince() throws IOException {
    double seconds = Duration.between(start, Instant.now()).toMillis() / 1000.0;
    return (ticks(pid) - startTicks) / TICKS_PER_SECOND / seconds;
  }

  private static double ticks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // Fields after the command name (which may hold spaces) in parentheses.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
  }
}
