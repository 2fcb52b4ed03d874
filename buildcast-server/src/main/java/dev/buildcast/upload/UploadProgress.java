package dev.buildcast.upload;

/**
 * How much of an upload the server has written to disk.
 *
 * @param percentage whole percent, rounded down, so 100 means every byte is in
 */
public record UploadProgress(String uploadId, long bytesReceived, long size, int percentage) {

  static UploadProgress of(String uploadId, long bytes, long size) {
    int percentage = size <= 0 ? 100 : (int) (bytes * 100 / size);
    return new UploadProgress(uploadId, bytes, size, percentage);
  }
}
