package dev.buildcast.generator.openevent;

/**
 * How much of an export's JSON is read, so that one upload cannot exhaust the heap: a file is read
 * as a stream and refused the moment it passes a limit, before its tree grows. A zip of a few MB
 * can hold a 60 MB file of {@code {},} (twenty million empty records) whose tree would need
 * gigabytes; every limit is far above what real exports hold (the largest known sample has a few
 * hundred records per file and a file under 1 MB).
 *
 * @param maxJsonBytes most bytes one JSON file may have
 * @param maxRecords most records (elements of the top-level array) one list file may hold
 * @param maxValues most JSON tokens (values, names, brackets) one file may hold; bounds the tree
 * @param maxNestingDepth most levels of nested arrays and objects
 * @param maxStringChars most characters in one string
 */
record ExportLimits(long maxJsonBytes, int maxRecords, long maxValues, int maxNestingDepth, int maxStringChars) {

  /** 64 MiB per file, 50,000 records, 1,000,000 tokens, depth 32, strings of 1 Mi characters. */
  static final ExportLimits DEFAULT = new ExportLimits(64L << 20, 50_000, 1_000_000, 32, 1 << 20);

  ExportLimits {
    if (maxJsonBytes < 1 || maxRecords < 1 || maxValues < 1 || maxNestingDepth < 1 || maxStringChars < 1) {
      throw new IllegalArgumentException("export limits must be positive");
    }
  }

  ExportLimits withMaxJsonBytes(long bytes) {
    return new ExportLimits(bytes, maxRecords, maxValues, maxNestingDepth, maxStringChars);
  }
}
