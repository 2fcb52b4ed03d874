package dev.buildcast.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The {@code notify:} section: where links in notifications point, and how webhooks and emails
 * are sent when a job ends. Both kinds are off unless configured, so a server never calls out to
 * addresses its operator did not allow.
 *
 * @param publicUrl the server's address as users reach it (links in notifications); empty: the
 *     address it listens on
 * @param webhook webhooks, when allowed
 * @param email emails, when an SMTP server is configured
 */
public record NotifyConfig(Optional<URI> publicUrl, Optional<WebhookConfig> webhook, Optional<EmailConfig> email) {

  public static NotifyConfig none() {
    return new NotifyConfig(Optional.empty(), Optional.empty(), Optional.empty());
  }

  /**
   * Webhooks: only to URLs matching {@code allowedUrls} (the whole URL), signed with the secret
   * read from the environment variable {@code secretEnv}.
   *
   * @param attempts how many times one notification is tried before it is given up (and logged)
   * @param retryDelay the wait before the first retry; it doubles after each failure
   * @param timeout how long one attempt may take
   * @param allowPrivateAddresses whether webhooks may go to loopback, link-local, private and other
   *     non-public addresses (off by default: a submitter must not reach the server's own network)
   */
  public record WebhookConfig(
      Pattern allowedUrls, String secretEnv, int attempts, Duration retryDelay, Duration timeout, boolean allowPrivateAddresses) {}

  /** How the SMTP connection is secured. */
  public enum SmtpSecurity {
    /** Plain SMTP, for a relay on the same host or network. */
    NONE,
    /** Plain connection upgraded with STARTTLS, which is then required (usually port 587). */
    STARTTLS,
    /** TLS from the first byte (usually port 465). */
    TLS
  }

  /**
   * Email through one SMTP server. Credentials are never in the file: {@code usernameEnv} and
   * {@code passwordEnv} name environment variables.
   *
   * @param allowedRecipients the domains ({@code example.com}, {@code .example.com} with its
   *     subdomains) and addresses mail may go to; empty when not configured (then only addresses at
   *     the domain of {@code from})
   * @param includeJobOutput whether mails carry text a job's input or process controls (the last
   *     log lines, the reason, artifact names); off: only the outcome and links to the job
   */
  public record EmailConfig(
      String host, int port, SmtpSecurity tls, String from, Optional<String> usernameEnv, Optional<String> passwordEnv, Duration timeout,
      List<String> allowedRecipients, boolean includeJobOutput) {

    public EmailConfig {
      allowedRecipients = List.copyOf(allowedRecipients);
    }

    public EmailConfig(
        String host, int port, SmtpSecurity tls, String from, Optional<String> usernameEnv, Optional<String> passwordEnv, Duration timeout) {
      this(host, port, tls, from, usernameEnv, passwordEnv, timeout, List.of(), false);
    }
  }

  record Raw(String publicUrl, RawWebhook webhook, RawEmail email) {
    NotifyConfig check(String where) {
      return new NotifyConfig(
          Optional.ofNullable(publicUrl).map(u -> parsePublicUrl(u, where + ".publicUrl")),
          Optional.ofNullable(webhook).map(w -> w.check(where + ".webhook")),
          Optional.ofNullable(email).map(e -> e.check(where + ".email")));
    }
  }

  record RawWebhook(String allowedUrls, String secretEnv, Integer attempts, String retryDelay, String timeout, Boolean allowPrivateAddresses) {
    WebhookConfig check(String where) {
      if (allowedUrls == null || allowedUrls.isBlank()) {
        throw new ConfigException(where + ".allowedUrls is required: a regular expression the whole webhook URL must match, e.g. 'https://hooks\\.example\\.com/.*'.");
      }
      Pattern pattern;
      try {
        pattern = Pattern.compile(allowedUrls);
      } catch (PatternSyntaxException e) {
        throw new ConfigException(where + ".allowedUrls is not a valid regular expression: " + e.getDescription() + ".", e);
      }
      if (secretEnv == null || secretEnv.isBlank()) {
        throw new ConfigException(where + ".secretEnv is required: the environment variable holding the secret webhooks are signed with.");
      }
      int n = attempts == null ? 4 : attempts;
      if (n < 1 || n > 20) throw new ConfigException(where + ".attempts must be from 1 to 20, got " + n + ".");
      return new WebhookConfig(pattern, secretEnv, n,
          retryDelay == null ? Duration.ofSeconds(2) : Durations.parse(retryDelay, where + ".retryDelay"),
          timeout == null ? Duration.ofSeconds(10) : Durations.parse(timeout, where + ".timeout"),
          Boolean.TRUE.equals(allowPrivateAddresses));
    }
  }

  record RawEmail(String host, Integer port, String tls, String from, String usernameEnv, String passwordEnv, String timeout,
      List<String> allowedRecipients, Boolean includeJobOutput) {
    EmailConfig check(String where) {
      if (host == null || host.isBlank()) throw new ConfigException(where + ".host is required: the SMTP server's name.");
      if (from == null || !from.contains("@")) throw new ConfigException(where + ".from is required: the sender's address, e.g. buildcast@example.com.");
      SmtpSecurity security = tls == null ? SmtpSecurity.STARTTLS : security(tls, where + ".tls");
      int p = port == null ? switch (security) { case NONE -> 25; case STARTTLS -> 587; case TLS -> 465; } : port;
      if (p < 1 || p > 65535) throw new ConfigException(where + ".port must be from 1 to 65535, got " + p + ".");
      if ((usernameEnv == null) != (passwordEnv == null)) {
        throw new ConfigException(where + ": usernameEnv and passwordEnv go together (both or neither).");
      }
      return new EmailConfig(host, p, security, from, Optional.ofNullable(usernameEnv), Optional.ofNullable(passwordEnv),
          timeout == null ? Duration.ofSeconds(30) : Durations.parse(timeout, where + ".timeout"),
          recipients(allowedRecipients, where + ".allowedRecipients"), Boolean.TRUE.equals(includeJobOutput));
    }
  }

  private static final Pattern RECIPIENT =
      Pattern.compile("([A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@)?\\.?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  /** Domains ({@code example.com}, {@code .example.com}) and addresses, lower case; absent: empty. */
  private static List<String> recipients(List<String> entries, String where) {
    if (entries == null) return List.of();
    if (entries.isEmpty()) throw new ConfigException(where + " is empty: list the domains or addresses mail may go to, or leave the key out.");
    for (String entry : entries) {
      if (entry == null || !RECIPIENT.matcher(entry.strip()).matches() || entry.strip().matches(".*@\\..*")) {
        throw new ConfigException(where + ": '" + entry + "' is neither a domain (example.com, or .example.com with its subdomains) nor an address (name@example.com).");
      }
    }
    return entries.stream().map(e -> e.strip().toLowerCase(Locale.ROOT)).toList();
  }

  private static SmtpSecurity security(String text, String where) {
    try {
      return SmtpSecurity.valueOf(text.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + " must be none, starttls or tls, got '" + text + "'.");
    }
  }

  private static URI parsePublicUrl(String text, String where) {
    try {
      URI uri = new URI(text.strip().replaceAll("/+$", ""));
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && uri.getQuery() == null) return uri;
    } catch (URISyntaxException e) {
      // why: answered below with the offending text
    }
    throw new ConfigException(where + " must be an http(s) address such as https://buildcast.example.com, got '" + text + "'.");
  }
}
