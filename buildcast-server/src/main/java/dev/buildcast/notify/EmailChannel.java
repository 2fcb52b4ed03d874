package dev.buildcast.notify;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Job-ended mail as a delivery channel: one attempt, as before (a failure is logged, not retried),
 * run on {@code workers} because talking to the SMTP server blocks. why the recipient is checked
 * again: a mail recorded before a restart may meet a tighter {@code allowedRecipients}.
 */
final class EmailChannel implements DeliveryChannel {

  private final EmailSender sender;
  private final EmailRecipients recipients;
  private final Executor workers;

  EmailChannel(EmailSender sender, EmailRecipients recipients, Executor workers) {
    this.sender = sender;
    this.recipients = recipients;
    this.workers = workers;
  }

  @Override
  public RetryPolicy retries() {
    return RetryPolicy.once();
  }

  @Override
  public CompletableFuture<AttemptResult> attempt(PendingDelivery delivery, JobEnded message) {
    if (!recipients.allows(delivery.target())) {
      return CompletableFuture.completedFuture(AttemptResult.refused("notify.email.allowedRecipients no longer allows the address"));
    }
    return CompletableFuture.supplyAsync(() -> {
      try {
        sender.send(delivery.target(), message);
        return AttemptResult.delivered("sent");
      } catch (Exception failure) {
        return AttemptResult.failed(failure.toString());
      }
    }, workers);
  }
}
