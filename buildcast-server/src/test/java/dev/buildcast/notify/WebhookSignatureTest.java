package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Issue 14 item 11: the signature covers the timestamp and the delivery id with the body. */
class WebhookSignatureTest {

  private static final byte[] BODY = "{\"event\":\"job.finished\"}".getBytes(StandardCharsets.UTF_8);

  @Test
  void sign_knownVector_isTheHmacOfTimestampDotDeliveryDotBody() {
    // computed independently: HMAC-SHA256, key "key", over 1700000000.3f0c-delivery.{"event":"job.finished"}
    assertThat(new WebhookSignature("key").sign(1_700_000_000L, "3f0c-delivery", BODY))
        .isEqualTo("sha256=8ac7dd41718739de41ea3820de59e460497702fb11f7af90cfb4d8b82915cb24");
  }

  @Test
  void sign_otherTimestampDeliveryBodyOrSecret_differs() {
    String signed = new WebhookSignature("a").sign(1L, "d", BODY);
    assertThat(new WebhookSignature("a").sign(2L, "d", BODY)).isNotEqualTo(signed);
    assertThat(new WebhookSignature("a").sign(1L, "e", BODY)).isNotEqualTo(signed);
    assertThat(new WebhookSignature("a").sign(1L, "d", "{} ".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(signed);
    assertThat(new WebhookSignature("b").sign(1L, "d", BODY)).isNotEqualTo(signed);
  }
}
