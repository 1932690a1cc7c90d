package dev.liffey.autoscaler.daemon;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.SchedulerConfigException;
import org.quartz.spi.ThreadPool;

/**
 * The worker threads of the daemon's Quartz scheduler: a fixed {@link ThreadPoolExecutor} behind
 * Quartz's {@link ThreadPool} interface, in place of Quartz's own {@code SimpleThreadPool}.
 *
 * <p>Why: {@code SimpleThreadPool} (Quartz 2.5.2) can lose a job handed over in the instant before
 * it shuts down. A worker that has just finished a job is back in the idle list before its loop
 * re-reads its run flag; the scheduler thread hands it the next job, {@code shutdown} clears the
 * flag, and the worker exits without running the job. It stays in the busy list, so {@code
 * shutdown(true)} waits for it for ever. A {@code ThreadPoolExecutor} runs every task it accepted
 * before {@code shutdown()}, and its {@code awaitTermination} returns once they have run.
 *
 * <p>Thread-safe. Quartz sets {@code threadCount} (from {@code org.quartz.threadPool.threadCount})
 * and calls {@link #initialize()} once; {@link #shutdown(boolean)} is idempotent.
 */
public final class ExecutorThreadPool implements ThreadPool {
  private final Object lock = new Object();
  private int threadCount = 1;
  private String instanceName = "quartz";
  private ThreadPoolExecutor executor; // guarded by lock
  private int idle; // guarded by lock: workers not running a job
  private boolean shutdown; // guarded by lock

  /** Quartz sets it from {@code org.quartz.threadPool.threadCount}. */
  public void setThreadCount(int threadCount) {
    this.threadCount = threadCount;
  }

  @Override
  public void setInstanceName(String name) {
    this.instanceName = name;
  }

  @Override
  public void setInstanceId(String id) {
    // one scheduler instance per JVM; the name is enough
  }

  @Override
  public int getPoolSize() {
    return threadCount;
  }

  @Override
  public void initialize() throws SchedulerConfigException {
    if (threadCount < 1) {
      throw new SchedulerConfigException("threadCount must be at least 1, got " + threadCount);
    }
    AtomicInteger workers = new AtomicInteger();
    synchronized (lock) {
      idle = threadCount;
      executor =
          new ThreadPoolExecutor(
              threadCount,
              threadCount,
              0,
              TimeUnit.MILLISECONDS,
              new LinkedBlockingQueue<>(),
              r -> {
                Thread t = new Thread(r, instanceName + "_Worker-" + workers.incrementAndGet());
                t.setDaemon(false);
                return t;
              });
    }
  }

  /**
   * Blocks until a worker is idle or the pool shuts down. An interrupt (Quartz halting its
   * scheduler thread) returns at once, possibly 0: the scheduler thread then sees it was halted, or
   * asks again.
   */
  @Override
  public int blockForAvailableThreads() {
    synchronized (lock) {
      while (idle == 0 && !shutdown) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          return idle; // not re-asserted: the scheduler thread would spin on it
        }
      }
      return idle;
    }
  }

  /** Runs {@code job} on an idle worker, waiting for one; false once shut down. */
  @Override
  public boolean runInThread(Runnable job) {
    synchronized (lock) {
      boolean interrupted = false;
      while (idle == 0 && !shutdown) {
        try {
          lock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      if (shutdown) {
        return false;
      }
      idle--;
      // Accepted under the lock, so before any shutdown(): the executor runs it even if shut down
      // next.
      executor.execute(
          () -> {
            try {
              job.run();
            } finally {
              synchronized (lock) {
                idle++;
                lock.notifyAll();
              }
            }
          });
      return true;
    }
  }

  /**
   * Takes no more jobs; with {@code waitForJobsToComplete}, returns once every job already handed
   * over has run, each for as long as it runs, or when the calling thread is interrupted (the
   * interrupt is kept; the jobs still finish on their workers).
   */
  @Override
  public void shutdown(boolean waitForJobsToComplete) {
    ThreadPoolExecutor running;
    synchronized (lock) {
      shutdown = true;
      lock.notifyAll();
      running = executor;
      if (running == null) {
        return; // never initialized
      }
      running.shutdown();
    }
    if (waitForJobsToComplete) {
      try {
        while (!running.awaitTermination(1, TimeUnit.MINUTES)) {
          // a job is still running: Quartz's contract is to wait for it
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
