package dev.buildcast.notify;

import dev.buildcast.config.NotifyConfig.EmailConfig;
import jakarta.mail.Authenticator;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Sends job-ended emails through the configured SMTP server, as multipart/alternative (plain text
 * and HTML). Blocks while talking to the server: callers run it on their own threads.
 */
final class EmailSender {

  private final EmailConfig config;
  private final Session session;

  EmailSender(EmailConfig config, Map<String, String> environment) {
    this.config = config;
    Properties p = new Properties();
    String protocol = config.tls() == dev.buildcast.config.NotifyConfig.SmtpSecurity.TLS ? "smtps" : "smtp";
    p.put("mail.transport.protocol", protocol);
    p.put("mail." + protocol + ".host", config.host());
    p.put("mail." + protocol + ".port", String.valueOf(config.port()));
    String millis = String.valueOf(config.timeout().toMillis());
    p.put("mail." + protocol + ".connectiontimeout", millis);
    p.put("mail." + protocol + ".timeout", millis);
    p.put("mail." + protocol + ".writetimeout", millis);
    if (config.tls() == dev.buildcast.config.NotifyConfig.SmtpSecurity.STARTTLS) {
      p.put("mail.smtp.starttls.enable", "true");
      // why required: falling back to plain text would send the password in the clear
      p.put("mail.smtp.starttls.required", "true");
    }
    if (config.tls() != dev.buildcast.config.NotifyConfig.SmtpSecurity.NONE) p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
    Optional<PasswordAuthentication> credentials = config.usernameEnv().map(user -> new PasswordAuthentication(
        environment.getOrDefault(user, ""), environment.getOrDefault(config.passwordEnv().orElseThrow(), "")));
    credentials.ifPresent(c -> p.put("mail." + protocol + ".auth", "true"));
    this.session = Session.getInstance(p, credentials.isEmpty() ? null : new Authenticator() {
      @Override
      protected PasswordAuthentication getPasswordAuthentication() {
        return credentials.get();
      }
    });
  }

  void send(String to, JobEnded job) throws MessagingException {
    MimeMessage message = new MimeMessage(session);
    message.setFrom(new InternetAddress(config.from()));
    message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
    message.setSubject(JobEmail.subject(job), StandardCharsets.UTF_8.name());
    message.setSentDate(new Date());
    MimeBodyPart text = new MimeBodyPart();
    text.setText(JobEmail.text(job, config.includeJobOutput()), StandardCharsets.UTF_8.name(), "plain");
    MimeBodyPart html = new MimeBodyPart();
    html.setText(JobEmail.html(job, config.includeJobOutput()), StandardCharsets.UTF_8.name(), "html");
    message.setContent(new MimeMultipart("alternative", text, html));
    Transport.send(message);
  }
}
