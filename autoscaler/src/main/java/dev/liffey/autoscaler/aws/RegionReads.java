package dev.liffey.autoscaler.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One read per region, run in parallel on an executor, each failing alone: a region whose calls
 * fail is named with the reason, and the others are read. Each call is bounded by the clients' own
 * timeouts, so this never waits longer than the slowest region's call. Stateless.
 */
final class RegionReads {
  private RegionReads() {}

  /** What each region gave, and why each of the others gave nothing. */
  record Results<T>(Map<String, T> read, Map<String, String> failed) {}

  static <T> Results<T> each(List<String> regions, Function<String, T> read, Executor executor) {
    Map<String, CompletableFuture<T>> started = new LinkedHashMap<>();
    for (String region : regions) {
      started.put(region, CompletableFuture.supplyAsync(() -> read.apply(region), executor));
    }
    Map<String, T> out = new LinkedHashMap<>();
    Map<String, String> failed = new LinkedHashMap<>();
    started.forEach(
        (region, f) -> {
          try {
            out.put(region, f.join());
          } catch (CompletionException e) {
            if (!(e.getCause() instanceof SdkException)) {
              throw e;
            }
            failed.put(region, String.valueOf(e.getCause().getMessage()).replaceAll("\\s+", " "));
          }
        });
    return new Results<>(out, failed);
  }
}
