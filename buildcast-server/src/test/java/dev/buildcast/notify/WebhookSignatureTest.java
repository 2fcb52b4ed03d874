package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

  @Test
  void sign_knownVector_givesTheRfcHmac() {
    // the well-known HMAC-SHA256 example: key "key", the quick brown fox
    String header = new WebhookSignature("key").sign("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8));
    assertThat(header).isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
  }

  @Test
  void sign_otherBodyOrSecret_differs() {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    assertThat(new WebhookSignature("a").sign(body)).isNotEqualTo(new WebhookSignature("b").sign(body));
    assertThat(new WebhookSignature("a").sign(body)).isNotEqualTo(new WebhookSignature("a").sign("{} ".getBytes(StandardCharsets.UTF_8)));
  }
}
