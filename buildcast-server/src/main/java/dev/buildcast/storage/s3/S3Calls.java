package dev.buildcast.storage.s3;

import dev.buildcast.blob.BlobStoreUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Runs one S3 call and turns the SDK's exceptions into the store's: no answer, a 5xx or
 * throttling become {@link BlobStoreUnavailableException} (try later, 503 at the edges); any other
 * refusal is an {@link UncheckedIOException} that says what to check. 404s never get here: the
 * callers that expect them catch them first.
 */
final class S3Calls {

  private final String bucket;

  S3Calls(String bucket) {
    this.bucket = bucket;
  }

  <T> T run(String key, String action, Supplier<T> call) {
    try {
      return call.get();
    } catch (S3Exception e) {
      throw translate(key, action, e);
    } catch (SdkClientException e) {
      // why all client exceptions: refused or reset connections, timeouts and aborted reads all mean "not reachable now"
      throw new BlobStoreUnavailableException(key, "could not " + action + " in bucket " + bucket + ": " + rootMessage(e), e);
    }
  }

  void run(String key, String action, Runnable call) {
    run(key, action, () -> {
      call.run();
      return null;
    });
  }

  RuntimeException translate(String key, String action, S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String answer = "HTTP " + status + (code == null ? "" : " " + code);
    if (status >= 500 || status == 429 || "SlowDown".equals(code)) {
      return new BlobStoreUnavailableException(key, "could not " + action + " in bucket " + bucket + ": the storage answered " + answer, e);
    }
    String hint = switch (status) {
      case 401, 403 -> "; check the access key, the secret key and the region, and that they may use this bucket";
      case 404 -> "; check that bucket " + bucket + " exists";
      default -> "";
    };
    return new UncheckedIOException("could not " + action + " for blob " + key + " in bucket " + bucket
        + ": the storage answered " + answer + hint, new IOException(e.getMessage(), e));
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : " " + message);
  }
}
