package dev.buildcast.notify;

import dev.buildcast.job.InvalidRequestException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.util.regex.Pattern;

/** Checks the syntax of one bare email address ({@code name@domain.tld}, no display name). */
final class EmailAddresses {

  static final int MAX_LENGTH = 254;
  // why a pattern besides InternetAddress: its strict mode still takes addresses without a domain
  // part's dot and with quoted local parts, which no one means in a form
  private static final Pattern SIMPLE = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");

  private EmailAddresses() {}

  static String check(String address) {
    String shown = address.length() > 60 ? address.substring(0, 60) + "…" : address;
    if (address.length() > MAX_LENGTH || !SIMPLE.matcher(address).matches()) {
      throw new InvalidRequestException("invalid_notify", "'" + shown + "' is not an email address; write it as name@example.com.");
    }
    try {
      new InternetAddress(address, true).validate();
    } catch (AddressException e) {
      throw new InvalidRequestException("invalid_notify", "'" + shown + "' is not an email address: " + e.getMessage() + ".");
    }
    return address;
  }
}
