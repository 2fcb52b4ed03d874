package dev.buildcast.log.cluster;

import dev.buildcast.log.LogLine;
import java.util.List;

/**
 * Hears what a {@link LogShipper} got accepted: the moment lines may be shown to this node's
 * watchers (the cluster's "nothing is shown before it is stored"). Called on the shipper's
 * thread, one call at a time, in seq order, each line once; must return quickly.
 */
public interface ShippingListener {

  /** Lines just accepted, continuing those of the previous call. */
  void accepted(List<LogLine> lines);

  /** A mark just accepted, after every line before it. */
  default void marked(LogMark mark) {}

  /**
   * The engine fenced the shipper off: another owner or a newer epoch holds the job (or its log
   * is sealed). Nothing more is shipped; the caller stops the job's generator.
   */
  void fenced(long engineLastSeq);
}
