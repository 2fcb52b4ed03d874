package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.StatusBus;
import dev.buildcast.job.StatusBusContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The bus contract, and delivery between two nodes' buses on one Redis. */
class RedisStatusBusTest extends StatusBusContract {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @Override
  protected StatusBus newBus() {
    return node();
  }

  /** One node's bus on its own connection; closed before its engine. */
  private RedisStatusBus node() {
    RedisEngine engine = engines.open();
    return engines.closedAfterTheTest(new RedisStatusBus(engine));
  }

  private static JobRecord record(String id, int percentage) {
    return new JobRecord(id, "hash", "docs", Map.of(), null, JobState.RUNNING, percentage, null, null,
        Instant.parse("2026-12-02T10:00:00Z"), null, null, List.of(), null, 3, "n1", Instant.parse("2026-12-02T10:00:30Z"));
  }

  @Test
  void publish_onTwoNodes_reachesTheSubscribersOfBoth_inOrderPerJob_asWhole() {
    RedisStatusBus n1 = node();
    RedisStatusBus n2 = node();
    List<JobRecord> onN1 = new CopyOnWriteArrayList<>();
    List<JobRecord> onN2 = new CopyOnWriteArrayList<>();
    n1.subscribe(onN1::add);
    n2.subscribe(onN2::add);
    for (int i = 1; i <= 40; i++) {
      n1.publish(record("job-a", i));
      n2.publish(record("job-b", i));
    }
    Awaitility.await().until(() -> onN1.size() == 80 && onN2.size() == 80);
    for (List<JobRecord> seen : List.of(onN1, onN2)) {
      assertThat(percentagesOf(seen, "job-a")).isEqualTo(IntStream.rangeClosed(1, 40).boxed().toList());
      assertThat(percentagesOf(seen, "job-b")).isEqualTo(IntStream.rangeClosed(1, 40).boxed().toList());
    }
    assertThat(onN2).contains(record("job-a", 7));
  }

  private static List<Integer> percentagesOf(List<JobRecord> seen, String jobId) {
    return seen.stream().filter(r -> r.id().equals(jobId)).map(JobRecord::percentage).toList();
  }
}
