/**
 * Blobs: the bytes a job leaves behind for people to fetch (its artifacts and its website), kept
 * under string keys behind the {@link dev.buildcast.blob.BlobStore} port so that the HTTP edge
 * reads blobs, never paths, and a second node could read what the first one stored. Keys are
 * checked in one place ({@link dev.buildcast.blob.BlobKeys}); byte ranges are resolved by one rule
 * ({@link dev.buildcast.blob.BlobRange}) that every adapter applies.
 *
 * <p>Imports only the JDK and the root exception; adapters live with their technology
 * ({@code storage.file.FolderBlobStore}).
 */
package dev.buildcast.blob;
