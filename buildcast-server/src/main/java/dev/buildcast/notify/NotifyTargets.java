package dev.buildcast.notify;

import java.net.URI;
import java.util.Optional;

/**
 * Who is told when a job ends, as asked for at submit ({@code notify: {email?, webhook?}}).
 *
 * @param email the address to mail
 * @param webhook the URL to POST to
 */
public record NotifyTargets(Optional<String> email, Optional<URI> webhook) {

  public static NotifyTargets none() {
    return new NotifyTargets(Optional.empty(), Optional.empty());
  }

  public boolean isEmpty() {
    return email.isEmpty() && webhook.isEmpty();
  }
}
