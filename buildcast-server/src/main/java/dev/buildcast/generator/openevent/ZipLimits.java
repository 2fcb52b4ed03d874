package dev.buildcast.generator.openevent;

/**
 * How much an uploaded zip may unpack to. The limits exist so that a zip bomb or a zip full of
 * junk is refused before it fills the disk.
 *
 * @param maxEntries most entries (files and folders) the zip may hold
 * @param maxTotalBytes most bytes all entries may unpack to together
 * @param maxCompressionRatio most an entry may expand relative to its compressed size; honest
 *     JSON compresses about 10:1, bombs 1000:1 and more
 * @param ratioCheckFloorBytes entries smaller than this skip the ratio check, because tiny files
 *     (an empty JSON array, a run of spaces) legitimately show absurd ratios
 */
public record ZipLimits(
    int maxEntries, long maxTotalBytes, int maxCompressionRatio, long ratioCheckFloorBytes) {

  /** 10,000 entries, 1 GiB unpacked, ratio 200 for entries over 1 MiB. */
  public static final ZipLimits DEFAULT = new ZipLimits(10_000, 1L << 30, 200, 1L << 20);

  public ZipLimits {
    if (maxEntries < 1 || maxTotalBytes < 1 || maxCompressionRatio < 1 || ratioCheckFloorBytes < 0) {
      throw new IllegalArgumentException("zip limits must be positive");
    }
  }
}
