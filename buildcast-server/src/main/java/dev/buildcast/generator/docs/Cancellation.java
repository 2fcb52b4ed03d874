package dev.buildcast.generator.docs;

/** Turns a pending interrupt into {@link InterruptedException}; every loop over files calls it. */
final class Cancellation {

  private Cancellation() {}

  static void throwIfInterrupted() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("docs-site job cancelled");
    }
  }
}
