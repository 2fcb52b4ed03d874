package dev.buildcast.testing;

import dev.buildcast.storage.s3.S3BlobStoreOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.options.CreateContainerOptions;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3 server for tests: S3Proxy in this JVM, on a free loopback port, keeping its buckets as
 * folders below a folder the test gives (its own Jetty is shaded, so it does not meet ours). Signed
 * requests only, with the fixed test credentials below.
 */
public final class LocalS3 implements AutoCloseable {

  public static final String ACCESS_KEY = "buildcast-test";
  public static final String SECRET_KEY = "buildcast-test-secret";

  private final S3Proxy proxy;
  private final BlobStore backend;
  private final URI endpoint;
  private final AtomicInteger buckets = new AtomicInteger();

  private final Path folder;

  private LocalS3(S3Proxy proxy, BlobStore backend, URI endpoint, Path folder) {
    this.folder = folder;
    this.proxy = proxy;
    this.backend = backend;
    this.endpoint = endpoint;
  }

  /** Starts a server that stores below {@code folder} (created if needed). */
  public static LocalS3 start(Path folder) {
    try {
      Files.createDirectories(folder);
      BlobStore backend = new FilesystemNio2BlobStore(folder.toAbsolutePath().toString());
      S3Proxy proxy = S3Proxy.builder()
          .blobStore(backend)
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
          .build();
      proxy.start();
      Awaitility.await("S3Proxy has started").atMost(Duration.ofSeconds(60)).until(() -> "STARTED".equals(proxy.getState()));
      return new LocalS3(proxy, backend, URI.create("http://127.0.0.1:" + proxy.getPort()), folder);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Exception e) {
      throw new IllegalStateException("could not start S3Proxy", e);
    }
  }

  public URI endpoint() {
    return endpoint;
  }

  /** Creates a new, empty bucket and returns its name. */
  public String createBucket() {
    String name = "bucket-" + buckets.incrementAndGet();
    backend.createContainer(name, CreateContainerOptions.NONE);
    return name;
  }

  /**
   * Stores an object by writing its file where the filesystem backend keeps it, without a request:
   * for tests that need many objects in place quickly (a listing past one page), not for tests of
   * how objects are stored.
   */
  public void writeObjectFile(String bucket, String objectName, byte[] bytes) {
    try {
      Path file = folder.resolve(bucket).resolve(objectName);
      Files.createDirectories(file.getParent());
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Options that reach {@code bucket} on this server with the test credentials. */
  public S3BlobStoreOptions options(String bucket, String keyPrefix) {
    return new S3BlobStoreOptions(endpoint, bucket, "us-east-1", true, ACCESS_KEY, SECRET_KEY, keyPrefix,
        Duration.ofSeconds(10), Duration.ofSeconds(60));
  }

  /** Stops the server; its port then refuses connections. */
  @Override
  public void close() {
    try {
      proxy.stop();
    } catch (Exception e) {
      throw new IllegalStateException("could not stop S3Proxy", e);
    }
  }
}
