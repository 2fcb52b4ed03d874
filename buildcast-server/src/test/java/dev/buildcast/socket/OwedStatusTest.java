package dev.buildcast.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which status a watcher is sent, whatever order the status read at connect and the published
 * changes reach it in. Each case is one interleaving, played in order on one thread.
 */
class OwedStatusTest {
  private final OwedStatus owed = new OwedStatus();

  private static JobRecord record(JobState state, long version) {
    return new JobRecord("job", "hash", "site", Map.of(), null, state, 0, null, null, Instant.EPOCH, null, null, List.of(), null,
        version, null, null);
  }

  @Test
  void endPublishedBeforeTheConnectReadIsOffered_theWatcherStillGetsTheEnd() {
    // the connect read "running" (version 2); the job ended (version 3) and was published to the
    // watcher before the read status was offered
    owed.offer(record(JobState.SUCCEEDED, 3));
    owed.offer(record(JobState.RUNNING, 2));

    assertThat(owed.take()).as("the end waits for the last line; the older status is not sent instead").isNull();
    owed.logComplete();
    assertThat(owed.take().state()).isEqualTo(JobState.SUCCEEDED);
    assertThat(owed.take()).isNull();
  }

  @Test
  void finalStatus_waitsForTheLastLine() {
    owed.offer(record(JobState.RUNNING, 1));
    assertThat(owed.take().state()).isEqualTo(JobState.RUNNING);

    owed.offer(record(JobState.FAILED, 2));
    assertThat(owed.take()).isNull();
    owed.logComplete();

    assertThat(owed.take().version()).isEqualTo(2);
  }

  @Test
  void newerStatus_replacesOneNotSentYet_latestWins() {
    owed.offer(record(JobState.RUNNING, 1));
    owed.offer(record(JobState.RUNNING, 2));

    assertThat(owed.take().version()).isEqualTo(2);
    assertThat(owed.take()).isNull();
  }

  @Test
  void sameVersionOfferedAgain_isSentAgain() {
    // a record republished as the store has it (after an outage of the bus) is news to nobody but harmless
    owed.offer(record(JobState.RUNNING, 4));
    owed.take();
    owed.offer(record(JobState.RUNNING, 4));

    assertThat(owed.take().version()).isEqualTo(4);
  }

  @Test
  void refusedStatus_isOwedAgain_unlessANewerOneCameSince() {
    owed.offer(record(JobState.RUNNING, 1));
    JobRecord sent = owed.take();
    owed.refused(sent);
    assertThat(owed.take()).isSameAs(sent);

    owed.offer(record(JobState.RUNNING, 2));
    JobRecord second = owed.take();
    owed.offer(record(JobState.RUNNING, 3));
    owed.refused(second);
    assertThat(owed.take().version()).isEqualTo(3);

    owed.refused(second);
    assertThat(owed.take()).as("taken after version 3 was offered: stale").isNull();
  }

  @Test
  void closed_owesNothing_andClosesOnce() {
    owed.offer(record(JobState.RUNNING, 1));

    assertThat(owed.close()).isTrue();
    assertThat(owed.close()).isFalse();
    owed.offer(record(JobState.RUNNING, 2));
    owed.logComplete();

    assertThat(owed.take()).isNull();
  }

  @Test
  void recordsSavedBeforeVersions_allVersionZero_latestWins() {
    owed.offer(record(JobState.QUEUED, 0));
    owed.offer(record(JobState.RUNNING, 0));

    assertThat(owed.take().state()).isEqualTo(JobState.RUNNING);
  }
}
