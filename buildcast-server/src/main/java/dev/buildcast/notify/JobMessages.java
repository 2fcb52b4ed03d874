package dev.buildcast.notify;

import java.util.Optional;

/** What a notification says about a job, composed when it is sent (from the stored record). */
interface JobMessages {

  /** The message about the ended job; empty when the job no longer exists (deleted). */
  Optional<JobEnded> compose(String jobId);

  /** Every delivery of the job is settled: nothing more is composed for it. */
  void forget(String jobId);
}
