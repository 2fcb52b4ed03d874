package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.job.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

  @Test
  void check_plainAddress_accepted() {
    assertThat(EmailAddresses.check("ops.team+builds@example.co.uk")).isEqualTo("ops.team+builds@example.co.uk");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "plain", "a@b", "@example.com", "a@@example.com", "Ops <ops@example.com>", "a@example.com, b@example.com",
      "a b@example.com", "a@example.com\r\nBcc: x@example.com", "a@-example..com"})
  void check_notAnAddress_refusedAsInvalidNotify(String address) {
    assertThatThrownBy(() -> EmailAddresses.check(address))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_notify"));
  }
}
