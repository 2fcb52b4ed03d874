package dev.buildcast.job;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.JobContext;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job's generator on the calling thread, with its timeout, and says how it ended. It
 * decides nothing about the job's state: {@link JobService} does that from the {@link Outcome}.
 *
 * <p>Timeouts and cancellation both interrupt the running thread; a flag says which it was.
 */
final class JobRunner {

  private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

  private final ScheduledExecutorService timer;

  JobRunner(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** How a run ended. */
  sealed interface Outcome {
    record Exited(int exitCode) implements Outcome {}

    record TimedOut(Duration after) implements Outcome {}

    record Cancelled() implements Outcome {}

    record Crashed(String reason) implements Outcome {}

    /** Interrupted for neither a timeout nor a cancel: the server is stopping. */
    record Stopped() implements Outcome {}
  }

  /**
   * Runs the generator until it returns, fails, times out or {@code cancel} interrupts this
   * thread.
   *
   * @param cancelled asked after an interruption: was it a cancellation?
   */
  Outcome run(Generator generator, JobContext context, Duration timeout, java.util.function.BooleanSupplier cancelled) {
    Thread worker = Thread.currentThread();
    TimeoutFlag flag = new TimeoutFlag();
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> {
              flag.fired = true;
              worker.interrupt();
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      return new Outcome.Exited(generator.run(context));
    } catch (InterruptedException e) {
      if (flag.fired) return new Outcome.TimedOut(timeout);
      if (cancelled.getAsBoolean()) return new Outcome.Cancelled();
      return new Outcome.Stopped();
    } catch (RuntimeException e) {
      log.warn("{} - generator {} failed", context.jobId(), generator.name(), e);
      return new Outcome.Crashed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    } finally {
      deadline.cancel(false);
      Thread.interrupted(); // why: a late timer or cancel must not leak into the queue's thread
    }
  }

  private static final class TimeoutFlag {
    volatile boolean fired;
  }
}
