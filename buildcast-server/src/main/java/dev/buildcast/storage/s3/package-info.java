/**
 * The object-storage adapter of the {@link dev.buildcast.blob.BlobStore} port for cluster mode:
 * {@link dev.buildcast.storage.s3.S3BlobStore} keeps blobs as objects in an S3-compatible bucket,
 * reached with the AWS SDK over one synchronous HTTP client (the JDK's). The AWS SDK appears in
 * this package only; nothing here knows jobs, logs or the HTTP edge.
 */
package dev.buildcast.storage.s3;
