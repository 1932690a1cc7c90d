package dev.liffey.cli;

import dev.liffey.core.config.EdgeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Reads that fail alone, for {@code status} and {@code plan}: each is named, and gives its value or
 * one failure in on-call's words; what could be read is shown either way. A read through an adapter
 * that leaves a region out rather than throw (Auto Scaling groups, metrics) has failed when the
 * call log says so. Failures with the same cause are told once. Thread-safe.
 */
final class Reads {
  private final OnCall onCall;
  private final EdgeConfig edge;

  /** Failure message to the reads it stopped, in the order they failed. */
  private final Map<String, List<String>> failed = new LinkedHashMap<>();

  private final List<Throwable> errors = new ArrayList<>();
  private int exitCode = LiffeyCli.EXIT_OK;

  Reads(OnCall onCall, EdgeConfig edge) {
    this.onCall = onCall;
    this.edge = edge;
  }

  /** {@code read} now; empty (and the failure kept) when it throws. */
  <T> Optional<T> now(String what, Supplier<T> read) {
    try {
      return Optional.of(read.get());
    } catch (RuntimeException e) {
      fail(what, e);
      return Optional.empty();
    }
  }

  /** {@code read} on {@code pool}; {@link Pending#get} waits for it. */
  <T> Pending<T> start(String what, ExecutorService pool, Supplier<T> read) {
    return new Pending<>(what, CompletableFuture.supplyAsync(read, pool));
  }

  /**
   * After a read through an adapter that leaves out what it cannot read: a failure naming the
   * regions left out, told by the first call of {@code service} that failed.
   */
  void leftOut(String what, String service) {
    List<FailedCall> calls = onCall.calls().failed(service);
    if (!calls.isEmpty()) {
      fail(what + " in " + String.join(", ", regionsLeftOut(service)), calls.get(0).error());
    }
  }

  /** The regions whose calls of {@code service} failed, in the order they failed. */
  Set<String> regionsLeftOut(String service) {
    Set<String> regions = new LinkedHashSet<>();
    onCall.calls().failed(service).forEach(f -> regions.add(f.region()));
    return regions;
  }

  private synchronized void fail(String what, Throwable error) {
    if (failed.values().stream().anyMatch(whats -> whats.contains(what))) {
      return; // a read made again (plan's replay) is told once
    }
    String message;
    int code;
    if (error instanceof SdkException sdk) {
      AwsErrors.Failure f = onCall.failure(sdk, Optional.of(edge));
      message = f.message();
      code = f.exitCode();
    } else if (error instanceof IllegalStateException) {
      message = error.getMessage(); // written for on-call already
      code = LiffeyCli.EXIT_FAILURE;
    } else {
      message = error.getClass().getSimpleName() + ": " + error.getMessage() + " (-v for details)";
      code = LiffeyCli.EXIT_FAILURE;
    }
    failed.computeIfAbsent(message, m -> new ArrayList<>()).add(what);
    errors.add(error);
    exitCode = Math.max(exitCode, code);
  }

  /** Whether the read named {@code what} (or a region of it: {@code what in R}) failed. */
  synchronized boolean failed(String what) {
    return failed.values().stream()
        .flatMap(List::stream)
        .anyMatch(w -> w.equals(what) || w.startsWith(what + " in "));
  }

  /**
   * One line per cause: {@code cannot read the control table and the audit log: control table ...
   * not found ...}.
   */
  synchronized List<String> failures() {
    List<String> lines = new ArrayList<>();
    failed.forEach((message, whats) -> lines.add("cannot read " + and(whats) + ": " + message));
    return lines;
  }

  /**
   * The lines to print when nothing could be read: the cause alone when there was one (AWS out of
   * reach), as any other command says it; else {@link #failures()}.
   */
  synchronized List<String> failuresOfAll() {
    return failed.size() == 1 ? List.copyOf(failed.keySet()) : failures();
  }

  /** What each failure threw, for {@code -v}. */
  synchronized List<Throwable> errors() {
    return List.copyOf(errors);
  }

  /** 0 when all was read; 3 when AWS could not be reached for one; else 1. */
  synchronized int exitCode() {
    return exitCode;
  }

  private static String and(List<String> items) {
    return items.size() == 1
        ? items.get(0)
        : String.join(", ", items.subList(0, items.size() - 1))
            + " and "
            + items.get(items.size() - 1);
  }

  /** A read under way. */
  final class Pending<T> {
    private final String what;
    private final CompletableFuture<T> future;

    private Pending(String what, CompletableFuture<T> future) {
      this.what = what;
      this.future = future;
    }

    /** Its value, or empty with the failure kept. */
    Optional<T> get() {
      return now(
          what,
          () -> {
            try {
              return future.join();
            } catch (CompletionException e) {
              throw e.getCause() instanceof RuntimeException r ? r : e;
            }
          });
    }
  }
}
