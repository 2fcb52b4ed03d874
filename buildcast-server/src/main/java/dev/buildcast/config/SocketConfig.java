package dev.buildcast.config;

/**
 * The {@code socket:} section: WebSocket compression (permessage-deflate) for clients that offer
 * it.
 *
 * @param compression whether permessage-deflate is negotiated; off by default, as a compressor
 *     holds a few hundred KB of native memory per connection
 * @param compressionThresholdBytes messages smaller than this go out uncompressed (compressing a
 *     log line costs more CPU than the bytes it saves)
 */
public record SocketConfig(boolean compression, int compressionThresholdBytes) {

  static final int DEFAULT_COMPRESSION_THRESHOLD = 1024;
  static final long MAX_COMPRESSION_THRESHOLD = 16L * 1024 * 1024;

  public static SocketConfig defaults() {
    return new SocketConfig(false, DEFAULT_COMPRESSION_THRESHOLD);
  }

  record Raw(Boolean compression, String compressionThreshold) {
    SocketConfig check(String source) {
      long threshold = compressionThreshold == null
          ? DEFAULT_COMPRESSION_THRESHOLD
          : Sizes.parse(compressionThreshold, source + ": socket.compressionThreshold");
      if (threshold > MAX_COMPRESSION_THRESHOLD) {
        throw new ConfigException(source + ": socket.compressionThreshold must be at most 16MiB, got '" + compressionThreshold + "'.");
      }
      return new SocketConfig(compression != null && compression, (int) threshold);
    }
  }
}
