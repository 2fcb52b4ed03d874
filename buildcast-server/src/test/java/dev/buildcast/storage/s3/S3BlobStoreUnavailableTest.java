package dev.buildcast.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStoreUnavailableException;
import dev.buildcast.testing.LocalS3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage that cannot be used becomes {@link BlobStoreUnavailableException} naming the key, for
 * every operation: an S3 server that stopped (connections refused) and one that answers 5xx.
 */
class S3BlobStoreUnavailableTest {

  @TempDir Path dir;

  private static InputStream text(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final List<Consumer<S3BlobStore>> OPERATIONS = List.of(
      s -> s.put("jobs/a/output/new", text("x")),
      s -> s.get("jobs/a/output/x", BlobRange.all()),
      s -> s.get("jobs/a/output/x", BlobRange.between(1, 2)),
      s -> s.list("jobs/a/"),
      s -> s.delete("jobs/a/output/x"),
      s -> s.deletePrefix("jobs/a/"),
      S3BlobStore::checkBucket,
      S3BlobStore::checkUsable);

  private static void assertEveryOperationUnavailable(S3BlobStore store) {
    for (int i = 0; i < OPERATIONS.size(); i++) {
      Consumer<S3BlobStore> operation = OPERATIONS.get(i);
      assertThatThrownBy(() -> operation.accept(store)).as("operation %d", i)
          .isInstanceOf(BlobStoreUnavailableException.class)
          .hasMessageContaining("unavailable")
          .satisfies(e -> assertThat(((BlobStoreUnavailableException) e).key()).isIn("jobs/a/output/new", "jobs/a/output/x", "jobs/a/", ""));
    }
  }

  @Test
  void everyOperation_serverStopped_isUnavailableNamingTheKey() {
    LocalS3 s3 = LocalS3.start(dir.resolve("s3"));
    try (S3BlobStore store = new S3BlobStore(s3.options(s3.createBucket(), ""), Clock.systemUTC())) {
      store.put("jobs/a/output/x", text("stored before"));
      s3.close();
      assertEveryOperationUnavailable(store);
    }
  }

  @Test
  void everyOperation_serverAnswers5xx_isUnavailable() throws IOException {
    HttpServer failing = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AtomicInteger requests = new AtomicInteger();
    failing.createContext("/", exchange -> {
      requests.incrementAndGet();
      exchange.getRequestBody().readAllBytes();
      byte[] body = "<Error><Code>InternalError</Code><Message>disk on fire</Message></Error>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
      exchange.sendResponseHeaders(500, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    failing.start();
    try (S3BlobStore store = new S3BlobStore(new S3BlobStoreOptions(URI.create("http://127.0.0.1:" + failing.getAddress().getPort()),
        "bucket", "us-east-1", true, "key", "secret", "", Duration.ofSeconds(10), Duration.ofSeconds(60)), Clock.systemUTC())) {
      assertEveryOperationUnavailable(store);
      assertThatThrownBy(() -> store.list("")).hasMessageContaining("HTTP 500 InternalError");
      assertThat(requests.get()).isGreaterThanOrEqualTo(OPERATIONS.size());
    } finally {
      failing.stop(0);
    }
  }
}
