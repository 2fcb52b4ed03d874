package dev.buildcast.notify;

import java.util.concurrent.CompletableFuture;

/** Sends one kind of delivery (webhook or email): one attempt at a time; the outbox retries. */
interface DeliveryChannel {

  /**
   * Makes one attempt of {@code delivery} with {@code message}, without blocking the caller. The
   * future never fails: a failure is an {@link AttemptResult} saying so.
   */
  CompletableFuture<AttemptResult> attempt(PendingDelivery delivery, JobEnded message);

  /** How often and when this kind is tried. */
  RetryPolicy retries();
}
