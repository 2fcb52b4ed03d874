package dev.buildcast.job;

import dev.buildcast.generator.Generator;
import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ServerPaths;
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
 * <p>Timeouts and cancellation both interrupt the running thread; a flag says which it was. Any
 * other way the generator ends, errors included, is an outcome too: a job never stays running.
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
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Outcome.Crashed(ServerPaths.hidden(reason, context));
    } catch (Throwable e) {
      // why any Throwable: an OutOfMemoryError or StackOverflowError from one job's generator must
      // fail that job, not leave it "running" for ever with its slot taken. By now the generator's
      // frames are gone, so what it held can be collected and the job's last line written.
      log.error("{} - generator {} failed with {}", context.jobId(), generator.name(), e.toString(), e);
      return new Outcome.Crashed(ServerPaths.hidden(crashReason(e), context));
    } finally {
      deadline.cancel(false);
      Thread.interrupted(); // why: a late timer or cancel must not leak into the queue's thread
    }
  }

  /** The reason a job failed of an error, for people: what went wrong, not a stack trace. */
  static String crashReason(Throwable e) {
    String detail = e.getMessage() == null ? "" : " (" + e.getMessage() + ")";
    return switch (e) {
      case OutOfMemoryError oom -> "the generator ran out of memory" + detail;
      case StackOverflowError overflow -> "the generator overflowed its stack (input nested too deeply?)";
      default -> "the generator failed with " + e.getClass().getSimpleName() + detail;
    };
  }

  private static final class TimeoutFlag {
    volatile boolean fired;
  }
}
