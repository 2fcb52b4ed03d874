package dev.buildcast.storage.file;

/**
 * How much of a log is complete on disk: a consistent snapshot published after every append, so a
 * reader never looks past what was fully written.
 *
 * @param lines number of lines, which is also the last seq
 * @param basicLines number of entries in the basic index
 * @param textBytes bytes of text holding those lines
 */
record LogExtent(long lines, long basicLines, long textBytes) {

  static final LogExtent EMPTY = new LogExtent(0, 0, 0);
}
