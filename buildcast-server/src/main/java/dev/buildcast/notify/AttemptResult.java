package dev.buildcast.notify;

/**
 * How one attempt of a delivery ended.
 *
 * @param detail what to log: the receiver's answer or the failure
 */
record AttemptResult(Outcome outcome, String detail) {

  enum Outcome {
    /** The receiver took it (a 2xx answer, the SMTP server accepted the mail). */
    DELIVERED,
    /** It may work later: retried as the policy says. */
    FAILED,
    /** It cannot work (a refused address, a target no longer allowed): given up at once. */
    REFUSED
  }

  static AttemptResult delivered(String detail) {
    return new AttemptResult(Outcome.DELIVERED, detail);
  }

  static AttemptResult failed(String detail) {
    return new AttemptResult(Outcome.FAILED, detail);
  }

  static AttemptResult refused(String detail) {
    return new AttemptResult(Outcome.REFUSED, detail);
  }
}
