package dev.buildcast.job;

import dev.buildcast.log.JobLog;

/**
 * A job this node claimed and runs: its open log and the thread running its generator, which is
 * interrupted to stop it (a cancel, the server stopping, or the job no longer held by this node).
 *
 * <p>Concurrency: {@code this} guards {@link #generatorThread}; the flags are read by the worker
 * after an interruption. The thread is interrupted only while it is inside the generator, never
 * while it writes the log or the store (an interrupt closes a file channel mid-write).
 */
final class OwnedRun {

  /** Why a run was told to stop. */
  enum Stop {
    CANCEL,
    SHUTDOWN,
    LOST
  }

  final String jobId;
  final JobLog log;
  /** The progress last stored; why kept here: a generator may report the same value many times, and each would read the store. */
  volatile int storedPercentage = -1;
  /**
   * Whether the store holds the job as running here. why: the run is registered before its claim
   * (so a cancel finds it), and until the claim lands the record says queued: nothing may take
   * that for the job being lost.
   */
  volatile boolean claimed;
  private Thread generatorThread;
  private Stop stop;

  OwnedRun(String jobId, JobLog log) {
    this.jobId = jobId;
    this.log = log;
  }

  /** Marks the run stopped for {@code why} (the first reason wins) and interrupts its generator. */
  synchronized void stop(Stop why) {
    if (stop == null) stop = why;
    if (generatorThread != null) generatorThread.interrupt();
  }

  /** Whether a stop was asked (also before the generator started). */
  synchronized Stop stopped() {
    return stop;
  }

  /** Called by the worker before the generator starts; false when it must not start. */
  synchronized boolean enterGenerator() {
    if (stop != null) return false;
    generatorThread = Thread.currentThread();
    return true;
  }

  /** Called by the worker once the generator returned; clears any interrupt that came late. */
  void leaveGenerator() {
    synchronized (this) {
      generatorThread = null;
    }
    Thread.interrupted();
  }
}
