package dev.liffey.autoscaler.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.quartz.SchedulerConfigException;

class ExecutorThreadPoolTest {
  private static ExecutorThreadPool pool(int threads) throws SchedulerConfigException {
    ExecutorThreadPool pool = new ExecutorThreadPool();
    pool.setInstanceName("test");
    pool.setThreadCount(threads);
    pool.initialize();
    return pool;
  }

  /** Shuts the pool down on another thread; true when that returned within {@code seconds}. */
  private static boolean shutsDownWithin(ExecutorThreadPool pool, int seconds)
      throws InterruptedException {
    Thread t = new Thread(() -> pool.shutdown(true), "shutdown");
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(seconds));
    return !t.isAlive();
  }

  @Test
  void aJobHandedToAWorkerThatJustFreedUpStillRuns_whenShutdownFollowsAtOnce() throws Exception {
    // Quartz's SimpleThreadPool loses the second job here now and then (its worker exits instead of
    // running it) and then waits for it for ever; this is how the daemon's scheduler hung.
    for (int i = 0; i < 200; i++) {
      ExecutorThreadPool pool = pool(1);
      AtomicInteger ran = new AtomicInteger();
      pool.runInThread(ran::incrementAndGet);
      assertThat(pool.blockForAvailableThreads()).isEqualTo(1); // the worker is idle again
      pool.runInThread(ran::incrementAndGet);

      assertThat(shutsDownWithin(pool, 5)).as("shutdown %d returned", i).isTrue();
      assertThat(ran).as("jobs run before shutdown %d returned", i).hasValue(2);
    }
  }

  @Test
  void shutdownWaitsForTheRunningJob() throws Exception {
    ExecutorThreadPool pool = pool(2);
    CountDownLatch started = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    pool.runInThread(
        () -> {
          started.countDown();
          sleep(300);
          finished.incrementAndGet();
        });
    started.await();

    pool.shutdown(true);

    assertThat(finished).hasValue(1);
  }

  @Test
  void noJobIsTakenOnceShutDown() throws Exception {
    ExecutorThreadPool pool = pool(1);
    pool.shutdown(true);

    assertThat(pool.runInThread(() -> {})).isFalse();
    assertThat(pool.blockForAvailableThreads())
        .isEqualTo(1); // returns at once; the scheduler thread stops
    pool.shutdown(true); // idempotent
  }

  @Test
  void waitingForAWorkerEndsWhenOneFreesUp_orWhenQuartzHaltsTheSchedulerThread() throws Exception {
    ExecutorThreadPool pool = pool(1);
    CountDownLatch release = new CountDownLatch(1);
    pool.runInThread(() -> await(release));
    AtomicInteger available = new AtomicInteger(-1);
    Thread scheduler =
        new Thread(() -> available.set(pool.blockForAvailableThreads()), "scheduler");
    scheduler.start();

    scheduler.interrupt(); // QuartzSchedulerThread.halt(true) interrupts, then joins
    scheduler.join(5_000);
    assertThat(scheduler.isAlive()).isFalse();
    assertThat(available).hasValue(0);

    Thread next = new Thread(() -> available.set(pool.blockForAvailableThreads()), "scheduler-2");
    next.start();
    release.countDown();
    next.join(5_000);
    assertThat(available).hasValue(1);
    pool.shutdown(true);
  }

  @Test
  void aPoolWithoutThreadsIsRefused_withTheValue() {
    ExecutorThreadPool pool = new ExecutorThreadPool();
    pool.setThreadCount(0);

    assertThatThrownBy(pool::initialize)
        .isInstanceOf(SchedulerConfigException.class)
        .hasMessageContaining("threadCount must be at least 1, got 0");
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
