package dev.buildcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class S3BlobStoreOptionsTest {

  private static final URI ENDPOINT = URI.create("http://127.0.0.1:9000");

  private static S3BlobStoreOptions with(URI endpoint, String bucket, String region, String secret, String prefix, Duration timeout) {
    return new S3BlobStoreOptions(endpoint, bucket, region, true, "access", secret, prefix, timeout, timeout);
  }

  @Test
  void goodOptions_areAccepted() {
    assertThat(with(ENDPOINT, "buildcast-blobs", "us-east-1", "s", "", Duration.ofSeconds(1)).bucket()).isEqualTo("buildcast-blobs");
    assertThat(with(URI.create("https://s3.example.org/"), "a.b-c", "eu-central-1", "s", "prod/", Duration.ofSeconds(1)).keyPrefix()).isEqualTo("prod/");
  }

  @Test
  void badOption_isRefusedNamingIt() {
    Duration t = Duration.ofSeconds(1);
    assertThatThrownBy(() -> with(null, "b-1", "us-east-1", "s", "", t)).hasMessageContaining("endpoint is missing");
    assertThatThrownBy(() -> with(URI.create("ftp://host"), "b-1", "us-east-1", "s", "", t)).hasMessageContaining("endpoint 'ftp://host'");
    assertThatThrownBy(() -> with(URI.create("http://host/bucket"), "b-1", "us-east-1", "s", "", t)).hasMessageContaining("has a path");
    assertThatThrownBy(() -> with(ENDPOINT, "Upper", "us-east-1", "s", "", t)).hasMessageContaining("bucket 'Upper'");
    assertThatThrownBy(() -> with(ENDPOINT, "ab", "us-east-1", "s", "", t)).hasMessageContaining("bucket 'ab'");
    assertThatThrownBy(() -> with(ENDPOINT, "b-1", "", "s", "", t)).hasMessageContaining("region ''");
    assertThatThrownBy(() -> with(ENDPOINT, "b-1", "us-east-1", " ", "", t)).hasMessageContaining("secretAccessKey is empty");
    assertThatThrownBy(() -> with(ENDPOINT, "b-1", "us-east-1", "s", "prod", t)).hasMessageContaining("keyPrefix").hasMessageContaining("ends with '/'");
    assertThatThrownBy(() -> with(ENDPOINT, "b-1", "us-east-1", "s", "../", t)).hasMessageContaining("keyPrefix");
    assertThatThrownBy(() -> with(ENDPOINT, "b-1", "us-east-1", "s", "", Duration.ZERO)).hasMessageContaining("connectTimeout");
  }

  @Test
  void toString_neverShowsTheSecret() {
    assertThat(with(ENDPOINT, "b-1", "us-east-1", "very-secret-value", "", Duration.ofSeconds(1)).toString())
        .doesNotContain("very-secret-value").contains("access");
  }
}
