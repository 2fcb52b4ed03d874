package dev.buildcast.storage.s3;

import dev.buildcast.blob.BlobKeys;
import dev.buildcast.blob.InvalidBlobKeyException;
import java.net.URI;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Where and how {@link S3BlobStore} reaches its bucket. Checked when built: a wrong value fails at
 * startup with the name of the option, not at the first put.
 *
 * @param endpoint the S3 API's base address, {@code http://} or {@code https://}, no path, query
 *     or fragment (e.g. {@code https://s3.eu-central-1.amazonaws.com} or a MinIO/Garage node)
 * @param bucket the bucket, which must exist; S3's naming rules (3 to 63 lowercase letters,
 *     digits, dots and hyphens, starting and ending with a letter or digit)
 * @param region the signing region ({@code us-east-1} for most self-hosted servers)
 * @param pathStyle whether the bucket goes in the path ({@code endpoint/bucket/key}) rather than in
 *     the host name; most self-hosted servers need {@code true}
 * @param accessKeyId the access key id, as a value (the configuration reads it from an
 *     environment variable)
 * @param secretAccessKey the secret key, as a value; never printed
 * @param keyPrefix {@code ""} or a prefix ending in {@code /} put before every blob key, so that
 *     several installations can share one bucket
 * @param connectTimeout how long a connection attempt may take
 * @param readTimeout how long a call may wait for the next bytes of an answer
 */
public record S3BlobStoreOptions(URI endpoint, String bucket, String region, boolean pathStyle, String accessKeyId,
    String secretAccessKey, String keyPrefix, Duration connectTimeout, Duration readTimeout) {

  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  /** Checks every option; a bad one throws {@link IllegalArgumentException} naming it. */
  public S3BlobStoreOptions {
    require(endpoint != null, "endpoint is missing: give the S3 API's address, e.g. https://s3.example.org");
    String scheme = endpoint.getScheme();
    require(scheme != null && (scheme.equals("http") || scheme.equals("https")) && endpoint.getHost() != null,
        "endpoint '" + endpoint + "' is not an http:// or https:// address with a host");
    require((endpoint.getRawPath() == null || endpoint.getRawPath().isEmpty() || endpoint.getRawPath().equals("/"))
        && endpoint.getRawQuery() == null && endpoint.getRawFragment() == null && endpoint.getRawUserInfo() == null,
        "endpoint '" + endpoint + "' has a path, query, fragment or user: give only scheme, host and port (the bucket is its own option)");
    require(bucket != null && BUCKET.matcher(bucket).matches() && !bucket.contains(".."),
        "bucket '" + bucket + "' is not a valid bucket name (3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit)");
    require(region != null && REGION.matcher(region).matches(),
        "region '" + region + "' is not a region name such as us-east-1 (use us-east-1 when the server ignores regions)");
    require(accessKeyId != null && !accessKeyId.isBlank(), "accessKeyId is empty: set the environment variable that holds it");
    require(secretAccessKey != null && !secretAccessKey.isBlank(), "secretAccessKey is empty: set the environment variable that holds it");
    require(keyPrefix != null, "keyPrefix is missing: give \"\" for none");
    try {
      BlobKeys.checkPrefix(keyPrefix);
    } catch (InvalidBlobKeyException e) {
      throw new IllegalArgumentException("keyPrefix: " + e.getMessage(), e);
    }
    require(isPositive(connectTimeout), "connectTimeout must be more than 0, not " + connectTimeout);
    require(isPositive(readTimeout), "readTimeout must be more than 0, not " + readTimeout);
  }

  /** The usual timeouts: 5 s to connect, 60 s without a byte. */
  public static S3BlobStoreOptions of(URI endpoint, String bucket, String region, boolean pathStyle, String accessKeyId,
      String secretAccessKey, String keyPrefix) {
    return new S3BlobStoreOptions(endpoint, bucket, region, pathStyle, accessKeyId, secretAccessKey, keyPrefix,
        Duration.ofSeconds(5), Duration.ofSeconds(60));
  }

  private static boolean isPositive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String problem) {
    if (!ok) throw new IllegalArgumentException("S3 blob store option " + problem);
  }

  /** Everything but the secret key, which is never printed. */
  @Override
  public String toString() {
    return "S3BlobStoreOptions[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + ", pathStyle=" + pathStyle
        + ", accessKeyId=" + accessKeyId + ", secretAccessKey=(hidden), keyPrefix=" + keyPrefix
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
  }
}
