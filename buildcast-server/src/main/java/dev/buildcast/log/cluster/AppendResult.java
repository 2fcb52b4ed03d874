package dev.buildcast.log.cluster;

/**
 * What the engine answered to an append (of lines or of a mark).
 *
 * @param outcome accepted, a retry that had already landed, a gap, or fenced
 * @param engineLastSeq the seq of the last line the engine holds for the job after the call
 */
public record AppendResult(Outcome outcome, long engineLastSeq) {

  /** The four answers an engine gives; an engine that cannot answer throws instead. */
  public enum Outcome {
    /** Stored under the caller's ownership: the lines (or the mark) are accepted now. */
    ACCEPTED,
    /**
     * Already there: a retry of an append that landed before its answer was lost. The lines are
     * accepted, exactly as the first attempt stored them.
     */
    DUPLICATE,
    /**
     * The engine holds fewer lines than the caller's previous last seq ({@link #engineLastSeq}):
     * it lost a tail (a crash, a failover). The caller ships again from {@code engineLastSeq + 1}.
     */
    GAP,
    /** Another owner, a newer epoch, or a sealed log: the caller lost the job and must stop. */
    FENCED
  }

  public AppendResult {
    if (outcome == null) throw new IllegalArgumentException("outcome is required");
    if (engineLastSeq < 0) throw new IllegalArgumentException("engineLastSeq < 0: " + engineLastSeq);
  }

  public static AppendResult accepted(long engineLastSeq) {
    return new AppendResult(Outcome.ACCEPTED, engineLastSeq);
  }

  public static AppendResult duplicate(long engineLastSeq) {
    return new AppendResult(Outcome.DUPLICATE, engineLastSeq);
  }

  public static AppendResult gap(long engineLastSeq) {
    return new AppendResult(Outcome.GAP, engineLastSeq);
  }

  public static AppendResult fenced(long engineLastSeq) {
    return new AppendResult(Outcome.FENCED, engineLastSeq);
  }

  /** Whether what was sent is in the engine now (accepted, or accepted by an earlier attempt). */
  public boolean isStored() {
    return outcome == Outcome.ACCEPTED || outcome == Outcome.DUPLICATE;
  }
}
