/**
 * Uploads: files sent to Buildcast in chunks (over Socket.IO, resumable) or in one stream (HTTP),
 * checked against the limits, hashed as they arrive and kept until a job takes them as input.
 *
 * <ul>
 *   <li>{@link dev.buildcast.upload.UploadService} decides: limits, offsets, completion checks
 *       (size, SHA-256), aborts and expiry. Transports (socket events, HTTP routes) call it and
 *       never touch files.
 *   <li>{@link dev.buildcast.upload.UploadStore} is the port that holds the bytes (unfinished
 *       ones itself, completed ones as blobs {@code uploads/<id>} of a {@link
 *       dev.buildcast.blob.BlobStore}) and each upload's durable {@link
 *       dev.buildcast.upload.UploadRecord} (what a restarted server needs to continue it); {@code
 *       storage.file.FileUploadStore} is its single-node implementation.
 *   <li>{@link dev.buildcast.upload.ZipInspector} checks a zip input before a job starts (not a
 *       zip, too many entries, zip bomb, entries escaping the folder, symbolic links).
 * </ul>
 *
 * <p>Imports the JDK, SLF4J, {@code dev.buildcast.job} (the ports jobs consume) and {@code
 * generator.InputKind} only.
 */
package dev.buildcast.upload;
