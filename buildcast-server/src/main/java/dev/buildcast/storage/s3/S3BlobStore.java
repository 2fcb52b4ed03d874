package dev.buildcast.storage.s3;

import dev.buildcast.blob.Blob;
import dev.buildcast.blob.BlobInfo;
import dev.buildcast.blob.BlobKeys;
import dev.buildcast.blob.BlobRange;
import dev.buildcast.blob.BlobStore;
import dev.buildcast.blob.BlobStoreUnavailableException;
import dev.buildcast.blob.InvalidBlobKeyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link BlobStore} for cluster mode: each blob is one object in an S3-compatible bucket
 * (AWS S3, MinIO, Garage, Ceph RGW...), under the options' key prefix followed by the blob key, so
 * every node reads what any node stored.
 *
 * <p>How the contract holds on S3:
 *
 * <ul>
 *   <li>Atomic replace: S3 makes a PutObject or a completed multipart upload visible as one step,
 *       and a GET that started streams the version it started with.
 *   <li>Streams of unknown length go up as a multipart upload of {@value #PART_BYTES}-byte parts
 *       read one at a time ({@link StreamUpload}), so a put holds one part in memory whatever the
 *       size and needs no local disk; a stream that ends within the first part is one PutObject.
 *   <li>Ranges: HTTP's rules are {@link BlobRange}'s, applied to the size the storage reports;
 *       a range the storage refuses (416) becomes {@link
 *       dev.buildcast.blob.RangeNotSatisfiableException} with that size.
 *   <li>"A key is a blob or a folder of blobs, never both": a put first asks for each shorter key
 *       on its path (one HEAD per {@code /}) and for one object below it. S3 has no way to make
 *       that check and the write one step: two nodes that put {@code a/b} and {@code a/b/c} at the
 *       same moment can both pass the check and both be stored. Buildcast's keys do not race that
 *       way (a job's keys are written by the one node that runs it), so this is accepted, not
 *       closed; {@code list} then shows both and {@code get} serves both.
 *   <li>Failures: no answer, 5xx and throttling are {@link BlobStoreUnavailableException}s (after
 *       the SDK's own retries); other refusals name what to check ({@link S3Calls}).
 * </ul>
 *
 * <p>Threading: stateless apart from the SDK client, which is thread-safe; calls block the caller
 * (one synchronous HTTP client, the JDK's, which suits virtual threads). {@link #close} releases
 * the client.
 */
public final class S3BlobStore implements BlobStore, AutoCloseable {

  /** The part size of multipart uploads (S3 wants at least 5 MiB per part but the last). */
  static final int PART_BYTES = 8 * 1024 * 1024;

  private final S3Client s3;
  private final S3BlobStoreOptions options;
  private final S3Calls calls;
  private final Clock clock;

  /** Builds the client; contacts nothing until the first call ({@link #checkBucket} does at once). */
  public S3BlobStore(S3BlobStoreOptions options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.calls = new S3Calls(options.bucket());
    this.s3 = S3Client.builder()
        .endpointOverride(options.endpoint())
        .region(Region.of(options.region()))
        .forcePathStyle(options.pathStyle())
        .serviceConfiguration(S3Configuration.builder().expectContinueEnabled(false).build())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(options.accessKeyId(), options.secretAccessKey())))
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(options.connectTimeout())
            .socketTimeout(options.readTimeout()))
        .build();
  }

  /**
   * Asks the storage whether the bucket is there and usable with these credentials.
   *
   * @throws BlobStoreUnavailableException when the storage cannot be reached
   * @throws UncheckedIOException when it refuses (missing bucket, wrong credentials)
   */
  public void checkBucket() {
    calls.run("", "find the bucket", () -> s3.headBucket(b -> b.bucket(options.bucket())));
  }

  /** One {@code HeadBucket}: {@link #checkBucket()}. */
  @Override
  public void checkUsable() {
    checkBucket();
  }

  @Override
  public BlobInfo put(String key, InputStream content) {
    BlobKeys.check(key);
    refuseBlobAndFolderTogether(key);
    String name = objectName(key);
    return new StreamUpload(s3, calls, options.bucket(), key, name, PART_BYTES).upload(content, this::storedAt);
  }

  /** The answer's Date header (the storage's clock, as lastModified is), else ours. */
  private Instant storedAt(SdkHttpResponse response) {
    return response.firstMatchingHeader("Date").map(date -> {
      try {
        return ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      } catch (DateTimeParseException e) {
        return null;
      }
    }).orElseGet(clock::instant);
  }

  private void refuseBlobAndFolderTogether(String key) {
    for (int slash = key.indexOf('/'); slash > 0; slash = key.indexOf('/', slash + 1)) {
      String above = key.substring(0, slash);
      if (head(above, key).isPresent()) throw new InvalidBlobKeyException(key, "lies below another blob (" + above + ")");
    }
    boolean isFolder = calls.run(key, "look below the key", () ->
        s3.listObjectsV2(r -> r.bucket(options.bucket()).prefix(objectName(key) + "/").maxKeys(1)).keyCount() > 0);
    if (isFolder) throw new InvalidBlobKeyException(key, "is a folder of other blobs");
  }

  private boolean exists(String key) {
    return head(key, key).isPresent();
  }

  /** The object of {@code key}, if there is one; failures name {@code forKey}, the key the caller works on. */
  private Optional<HeadObjectResponse> head(String key, String forKey) {
    return calls.run(forKey, "look up " + key, () -> {
      try {
        return Optional.of(s3.headObject(r -> r.bucket(options.bucket()).key(objectName(key))));
      } catch (S3Exception e) {
        if (e.statusCode() == 404) return Optional.empty();
        throw e;
      }
    });
  }

  @Override
  public Optional<Blob> get(String key, BlobRange range) {
    BlobKeys.check(key);
    // why a loop: a blob replaced between two requests of one get (a 416 and the HEAD for its size, or an
    // ignored Range and the exact one asked for next) is read again, from the start
    for (int attempt = 1; attempt <= 3; attempt++) {
      Optional<Answer> answer = open(key, range.isAll() ? null : range.toString(), null);
      if (answer.isEmpty()) return Optional.empty();
      if (answer.get() instanceof Answer.Refused) {
        Optional<HeadObjectResponse> head = head(key, key);
        if (head.isEmpty()) return Optional.empty();
        range.resolve(key, head.get().contentLength()); // throws RangeNotSatisfiableException with the size
        continue;
      }
      Answer.Opened opened = (Answer.Opened) answer.get();
      long[] span = resolve(range, key, opened);
      if (range.isAll() || (opened.first() == span[0] && opened.last() == span[1])) return Optional.of(opened.blob(key, span));
      // some servers ignore a Range they dislike and send everything: ask for exactly these bytes of that version
      closeQuietly(opened.content());
      Optional<Answer> exact = open(key, BlobRange.between(span[0], span[1]).toString(), opened.etag());
      if (exact.isPresent() && exact.get() instanceof Answer.Opened o && o.first() == span[0] && o.last() == span[1]) {
        return Optional.of(o.blob(key, span));
      }
      exact.filter(Answer.Opened.class::isInstance).ifPresent(a -> closeQuietly(((Answer.Opened) a).content()));
      if (exact.isEmpty()) return Optional.empty();
    }
    throw new UncheckedIOException("could not read blob " + key + ": it kept changing while it was read, or the storage ignores ranges",
        new IOException("gave up after 3 attempts"));
  }

  private static boolean isMissingBucket(S3Exception e) {
    return e.awsErrorDetails() != null && "NoSuchBucket".equals(e.awsErrorDetails().errorCode());
  }

  private static long[] resolve(BlobRange range, String key, Answer.Opened opened) {
    try {
      return range.resolve(key, opened.size());
    } catch (RuntimeException e) {
      closeQuietly(opened.content());
      throw e;
    }
  }

  /** What a GET brought: the bytes, or a refusal of the range (416) or of the version (412). */
  private sealed interface Answer {
    record Opened(InputStream content, long size, long first, long last, Instant lastModified, String etag) implements Answer {
      Blob blob(String key, long[] span) {
        return new Blob(new BlobInfo(key, size, lastModified), span[0], span[1], content);
      }
    }

    record Refused() implements Answer {}
  }

  private Optional<Answer> open(String key, String rangeHeader, String ifMatch) {
    GetObjectRequest request = GetObjectRequest.builder().bucket(options.bucket()).key(objectName(key)).range(rangeHeader).ifMatch(ifMatch).build();
    Optional<ResponseInputStream<GetObjectResponse>> got = calls.run(key, "read the blob", () -> {
      try {
        return Optional.of(s3.getObject(request));
      } catch (S3Exception e) {
        // why the code: a missing bucket is a setup error, not a missing blob
        if (e.statusCode() == 404 && !isMissingBucket(e)) return Optional.empty();
        if (e.statusCode() == 416 || e.statusCode() == 412) return null;
        throw e;
      }
    });
    if (got == null) return Optional.of(new Answer.Refused());
    if (got.isEmpty()) return Optional.empty();
    ResponseInputStream<GetObjectResponse> in = got.get();
    GetObjectResponse response = in.response();
    String contentRange = response.contentRange();
    if (contentRange == null) {
      long size = response.contentLength();
      return Optional.of(new Answer.Opened(in, size, 0, size - 1, response.lastModified(), response.eTag()));
    }
    // why parse it: "bytes first-last/size" is the one place a partial answer gives the whole size
    try {
      int space = contentRange.indexOf(' ');
      int dash = contentRange.indexOf('-', space);
      int slash = contentRange.indexOf('/', dash);
      long first = Long.parseLong(contentRange.substring(space + 1, dash));
      long last = Long.parseLong(contentRange.substring(dash + 1, slash));
      long size = Long.parseLong(contentRange.substring(slash + 1));
      return Optional.of(new Answer.Opened(in, size, first, last, response.lastModified(), response.eTag()));
    } catch (RuntimeException e) {
      closeQuietly(in);
      throw new UncheckedIOException("could not read blob " + key + ": the storage sent Content-Range '" + contentRange + "'", new IOException(e));
    }
  }

  @Override
  public List<BlobInfo> list(String prefix) {
    BlobKeys.checkPrefix(prefix);
    List<BlobInfo> found = new ArrayList<>();
    for (S3Object object : objectsUnder(prefix)) {
      String key = object.key().substring(options.keyPrefix().length());
      // why skip: objects someone else put in the bucket with names no blob key can have (folder markers "x/")
      if (BlobKeys.isValid(key)) found.add(new BlobInfo(key, object.size(), object.lastModified()));
    }
    // why sort again: S3 orders by UTF-8 bytes, the contract by String (the two differ past U+FFFF)
    found.sort(Comparator.comparing(BlobInfo::key));
    return found;
  }

  private List<S3Object> objectsUnder(String prefix) {
    return calls.run(prefix, "list the blobs", () -> {
      List<S3Object> objects = new ArrayList<>();
      // why the paginator: one answer holds at most 1,000 keys
      s3.listObjectsV2Paginator(r -> r.bucket(options.bucket()).prefix(options.keyPrefix() + prefix)).contents().forEach(objects::add);
      return objects;
    });
  }

  @Override
  public boolean delete(String key) {
    BlobKeys.check(key);
    // why ask first: S3 answers a delete of a missing object like any other, and the port says whether there was one
    if (!exists(key)) return false;
    calls.run(key, "delete the blob", () -> s3.deleteObject(r -> r.bucket(options.bucket()).key(objectName(key))));
    return true;
  }

  @Override
  public int deletePrefix(String prefix) {
    BlobKeys.checkPrefix(prefix);
    if (prefix.isEmpty()) throw new InvalidBlobKeyException(prefix, "is empty: deleting every blob at once is refused");
    List<ObjectIdentifier> doomed = objectsUnder(prefix).stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
    // why batches of 1,000: the most one DeleteObjects request takes
    for (int from = 0; from < doomed.size(); from += 1000) {
      List<ObjectIdentifier> batch = doomed.subList(from, Math.min(doomed.size(), from + 1000));
      DeleteObjectsResponse response = calls.run(prefix, "delete the blobs", () ->
          s3.deleteObjects(r -> r.bucket(options.bucket()).delete(Delete.builder().objects(batch).quiet(true).build())));
      if (response.hasErrors() && !response.errors().isEmpty()) {
        var error = response.errors().get(0);
        throw new UncheckedIOException("could not delete " + response.errors().size() + " blobs under " + prefix + " in bucket "
            + options.bucket() + ", first " + error.key() + ": " + error.code() + " " + error.message(), new IOException(error.code()));
      }
    }
    return doomed.size();
  }

  private String objectName(String key) {
    return options.keyPrefix() + key;
  }

  private static void closeQuietly(InputStream in) {
    try {
      if (in != null) in.close();
    } catch (IOException ignored) {
      // an answer we no longer read; the connection is dropped with it
    }
  }

  @Override
  public void close() {
    s3.close();
  }

  /** The options without the secret, for logs. */
  @Override
  public String toString() {
    return "S3BlobStore[" + options.endpoint() + ", bucket " + options.bucket() + ", prefix '" + options.keyPrefix() + "']";
  }
}
