package dev.buildcast.blob;

import java.time.Instant;

/**
 * A stored blob.
 *
 * @param key its key
 * @param size its length in bytes
 * @param lastModified when it was stored
 */
public record BlobInfo(String key, long size, Instant lastModified) {}
