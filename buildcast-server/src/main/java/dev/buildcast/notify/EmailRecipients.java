package dev.buildcast.notify;

import dev.buildcast.config.NotifyConfig.EmailConfig;
import dev.buildcast.job.InvalidRequestException;
import java.util.List;
import java.util.Locale;

/**
 * Who a job-ended email may go to. why a list at all: whoever submits a job names the recipient,
 * so without one the server mails anyone its submitter likes, from the operator's own address. With
 * {@code notify.email.allowedRecipients} configured, an address must be listed or be at a listed
 * domain ({@code .example.com} also takes its subdomains); without it (a configuration written
 * before the key existed) only addresses at the domain of {@code notify.email.from} are taken.
 */
final class EmailRecipients {

  private final List<String> allowed;
  private final boolean configured;

  EmailRecipients(EmailConfig config) {
    this.configured = !config.allowedRecipients().isEmpty();
    this.allowed = configured ? config.allowedRecipients() : List.of(domainOf(config.from()));
  }

  /** @throws InvalidRequestException {@code invalid_notify}, naming the key to set, when {@code address} is not allowed */
  void check(String address) {
    if (allows(address)) return;
    String shown = address.length() > 60 ? address.substring(0, 60) + "…" : address;
    String rule = configured
        ? "notify.email.allowedRecipients lists the domains and addresses it sends to"
        : "without notify.email.allowedRecipients it sends only to addresses at " + allowed.getFirst() + ", the domain of notify.email.from";
    throw new InvalidRequestException("invalid_notify", "This server does not send email to '" + shown + "': " + rule
        + ". Ask its operator to add the address or its domain to notify.email.allowedRecipients.");
  }

  boolean allows(String address) {
    String a = address.toLowerCase(Locale.ROOT);
    String domain = domainOf(a);
    for (String entry : allowed) {
      if (entry.contains("@") ? entry.equals(a) : entry.startsWith(".") ? domain.endsWith(entry) || domain.equals(entry.substring(1)) : domain.equals(entry)) {
        return true;
      }
    }
    return false;
  }

  private static String domainOf(String address) {
    return address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
  }
}
