package dev.buildcast.storage.s3;

import dev.buildcast.blob.BlobInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * One put of a stream whose length is not known in advance. The stream is read one part at a
 * time into a single buffer: if it ends within the first part, the bytes go up as one PutObject;
 * otherwise as a multipart upload, one part after the other, completed at the end (which is when
 * the new blob replaces the old one, in one step). Memory stays at one part whatever the size.
 *
 * <p>why multipart rather than a spooled temporary file: no local disk is needed (a node's disk
 * may be small), the bytes go out while they are read (no second pass), and the part size matches
 * the 8 MiB upload parts of the cluster design. The cost: a process killed mid-put leaves an
 * unfinished upload that the storage keeps (and bills) until a bucket lifecycle rule for
 * incomplete multipart uploads removes it; a put that fails in the process aborts its upload.
 *
 * <p>Not thread-safe: one instance per put, used by the calling thread.
 */
final class StreamUpload {

  /** Read into a buffer of their own size: a blob this small or smaller is one PutObject without a part buffer. */
  static final int SMALL_BLOB_BYTES = 256 * 1024;

  private final S3Client s3;
  private final S3Calls calls;
  private final String bucket;
  private final String key;
  private final String objectName;
  private final int partBytes;
  private byte[] buffer;

  StreamUpload(S3Client s3, S3Calls calls, String bucket, String key, String objectName, int partBytes) {
    this.s3 = s3;
    this.calls = calls;
    this.bucket = bucket;
    this.key = key;
    this.objectName = objectName;
    this.partBytes = partBytes;
  }

  /** Reads {@code content} to its end (without closing it) and stores it. */
  BlobInfo upload(InputStream content, Function<SdkHttpResponse, Instant> storedAt) {
    // why a small read first: most blobs are small files of a site; a part-sized buffer for each would
    // be megabytes of garbage per put
    buffer = read(content, SMALL_BLOB_BYTES);
    int filled = buffer.length;
    if (filled < SMALL_BLOB_BYTES) return putWhole(filled, storedAt);
    byte[] start = buffer;
    buffer = new byte[partBytes];
    System.arraycopy(start, 0, buffer, 0, start.length);
    filled = start.length + fill(content, start.length);
    if (filled < partBytes) return putWhole(filled, storedAt);
    String uploadId = calls.run(key, "start a multipart upload", () ->
        s3.createMultipartUpload(r -> r.bucket(bucket).key(objectName)).uploadId());
    try {
      List<CompletedPart> parts = new ArrayList<>();
      long size = 0;
      int length = filled;
      while (length > 0) {
        int number = parts.size() + 1;
        int partLength = length;
        UploadPartResponse part = calls.run(key, "store part " + number + " of the blob", () ->
            s3.uploadPart(r -> r.bucket(bucket).key(objectName).uploadId(uploadId).partNumber(number).contentLength((long) partLength),
                body(partLength)));
        parts.add(CompletedPart.builder().partNumber(number).eTag(part.eTag()).build());
        size += length;
        length = fill(content, 0);
      }
      SdkHttpResponse done = calls.run(key, "complete the multipart upload", () ->
          s3.completeMultipartUpload(r -> r.bucket(bucket).key(objectName).uploadId(uploadId).multipartUpload(m -> m.parts(parts))))
          .sdkHttpResponse();
      return new BlobInfo(key, size, storedAt.apply(done));
    } catch (RuntimeException e) {
      abortQuietly(uploadId, e);
      throw e;
    }
  }

  private BlobInfo putWhole(int length, Function<SdkHttpResponse, Instant> storedAt) {
    PutObjectResponse response = calls.run(key, "store the blob", () -> s3.putObject(r -> r.bucket(bucket).key(objectName), body(length)));
    return new BlobInfo(key, length, storedAt.apply(response.sdkHttpResponse()));
  }

  private int fill(InputStream content, int from) {
    try {
      return content.readNBytes(buffer, from, buffer.length - from);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the bytes for blob " + key, e);
    }
  }

  private byte[] read(InputStream content, int atMost) {
    try {
      return content.readNBytes(atMost);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the bytes for blob " + key, e);
    }
  }

  /** The first {@code length} bytes of the buffer, readable again for the SDK's retries and checksums, not copied. */
  private RequestBody body(int length) {
    return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length, "application/octet-stream");
  }

  private void abortQuietly(String uploadId, RuntimeException failure) {
    try {
      calls.run(key, "abort the multipart upload", () -> s3.abortMultipartUpload(r -> r.bucket(bucket).key(objectName).uploadId(uploadId)));
    } catch (RuntimeException e) {
      failure.addSuppressed(e); // the storage drops it later by its lifecycle rule, if the bucket has one
    }
  }
}
