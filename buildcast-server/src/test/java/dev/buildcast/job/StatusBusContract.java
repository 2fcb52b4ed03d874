package dev.buildcast.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * What every {@link StatusBus} adapter must do; each adapter's test extends this. Delivery may be
 * asynchronous (a cluster bus), so deliveries are awaited.
 */
public abstract class StatusBusContract {

  protected abstract StatusBus newBus();

  private static JobRecord record(String id, int percentage) {
    return new JobRecord(id, "hash", "docs", Map.of(), null, JobState.RUNNING, percentage, null, null,
        Instant.parse("2026-12-02T10:00:00Z"), null, null, List.of(), null);
  }

  private static void awaitSize(List<?> list, int size) {
    Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> list.size() >= size);
  }

  @Test
  void publish_reachesEverySubscriber_inTheOrderPublished() {
    StatusBus bus = newBus();
    List<Integer> first = new CopyOnWriteArrayList<>();
    List<Integer> second = new CopyOnWriteArrayList<>();
    bus.subscribe(r -> first.add(r.percentage()));
    bus.subscribe(r -> second.add(r.percentage()));
    for (int i = 1; i <= 50; i++) bus.publish(record("job", i));
    awaitSize(first, 50);
    awaitSize(second, 50);
    assertThat(first).isEqualTo(java.util.stream.IntStream.rangeClosed(1, 50).boxed().toList());
    assertThat(second).isEqualTo(first);
  }

  @Test
  void publish_aSubscriberThrows_theOthersStillGetIt() {
    StatusBus bus = newBus();
    List<JobRecord> seen = new CopyOnWriteArrayList<>();
    bus.subscribe(r -> {
      throw new IllegalStateException("broken subscriber");
    });
    bus.subscribe(seen::add);
    bus.publish(record("job", 1));
    awaitSize(seen, 1);
    assertThat(seen).extracting(JobRecord::percentage).containsExactly(1);
  }

  @Test
  void close_ofASubscription_stopsOnlyThatOne() {
    StatusBus bus = newBus();
    List<JobRecord> stopped = new CopyOnWriteArrayList<>();
    List<JobRecord> kept = new CopyOnWriteArrayList<>();
    StatusBus.Subscription subscription = bus.subscribe(stopped::add);
    bus.subscribe(kept::add);
    bus.publish(record("job", 1));
    awaitSize(stopped, 1);
    subscription.close();
    subscription.close();
    bus.publish(record("job", 2));
    awaitSize(kept, 2);
    assertThat(stopped).extracting(JobRecord::percentage).containsExactly(1);
  }
}
