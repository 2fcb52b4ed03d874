package dev.buildcast.generator.openevent;

/**
 * The one place that turns a pending interrupt into {@link InterruptedException}. Every loop over
 * records, files or pages calls it, so a cancelled or timed-out job stops within one item.
 */
final class Cancellation {

  private Cancellation() {}

  static void throwIfInterrupted() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("open-event-site job cancelled");
    }
  }
}
