package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.testing.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis that is gone makes every adapter call fail with {@link EngineUnavailableException}
 * naming the operation, and calls work again once it is back. The command timeout is short here so
 * a call that hangs instead of failing at once ends soon; only that the exception comes is
 * asserted, never how fast.
 */
class RedisEngineDownTest {

  private static final Duration SHORT = Duration.ofSeconds(1);
  private static final Instant AT = Instant.parse("2026-12-02T10:00:00Z");
  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  private static JobRecord queued(String id) {
    return new JobRecord(id, "hash", "docs", Map.of(), null, JobState.QUEUED, 0, null, null, AT, null, null, List.of(), null);
  }

  @Test
  void everyAdapterCall_whileRedisIsKilled_failsAsEngineUnavailable_andWorksAgainAfterTheRestart() throws Exception {
    JobRecord job = queued("job0000000000000000001");
    new RedisJobStore(engines.open()).save(job);
    // why retried: on a busy machine even a healthy Redis may miss the short timeout; what this
    // test is about starts at the kill below
    RedisEngine engine = untilItWorks(() -> engines.open(SHORT));
    RedisJobStore store = new RedisJobStore(engine);
    RedisJobQueue queue = untilItWorks(() -> new RedisJobQueue(engine, "n1", 2));
    RedisStatusBus bus = untilItWorks(() -> engines.closedAfterTheTest(new RedisStatusBus(engine)));

    java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
    engine.countErrorsWith(errors::incrementAndGet);

    engines.server().killHard();

    Map<String, ThrowingCallable> calls = new java.util.LinkedHashMap<>();
    calls.put("saving job", () -> store.save(job));
    calls.put("updating job", () -> store.update(0, job));
    calls.put("reading job", () -> store.find(job.id()));
    calls.put("listing jobs", store::all);
    calls.put("deleting job", () -> store.delete(job.id()));
    calls.put("queueing job", () -> queue.enqueue("other"));
    calls.put("claiming a job", queue::claim);
    calls.put("releasing the slot", () -> queue.release("other"));
    calls.put("removing job", () -> queue.remove("other"));
    calls.put("finding job", () -> queue.position("other"));
    calls.put("publishing the status", () -> bus.publish(job));
    calls.forEach((operation, call) -> assertThatThrownBy(call)
        .as(operation)
        .isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining(operation)
        .hasMessageContaining("Redis at 127.0.0.1:" + engines.server().port())
        .satisfies(e -> assertThat(((EngineUnavailableException) e).code()).isEqualTo("engine_unavailable")));
    assertThat(errors.get()).as("engine errors counted (the metric)").isGreaterThanOrEqualTo(calls.size());
    assertThat(engine.hasAnsweredFor(Duration.ZERO)).as("down: no lease may be judged").isFalse();

    engines.server().restart();
    // why awaited: the client reconnects by itself a moment after Redis is back
    Awaitility.await().ignoreException(EngineUnavailableException.class).until(() -> {
      store.save(job);
      return store.find(job.id()).equals(Optional.of(job)) && queue.position("nothing").isEmpty();
    });
    assertThat(engine.hasAnsweredFor(Duration.ZERO)).as("answering again").isTrue();
    assertThat(engine.hasAnsweredFor(Duration.ofDays(1))).as("but not for a lease since it came back").isFalse();
    // why publish until seen: the bus subscribes again by itself, a moment after the engine is back
    List<JobRecord> seen = new CopyOnWriteArrayList<>();
    bus.subscribe(seen::add);
    Awaitility.await().ignoreException(EngineUnavailableException.class).until(() -> {
      bus.publish(job);
      return !seen.isEmpty();
    });
    assertThat(seen.getFirst()).isEqualTo(job);
  }

  private static <T> T untilItWorks(Supplier<T> setUp) {
    AtomicReference<T> made = new AtomicReference<>();
    Awaitility.await().ignoreException(EngineUnavailableException.class).until(() -> {
      made.set(setUp.get());
      return true;
    });
    return made.get();
  }

  @Test
  void connect_toARedisThatIsNotThere_failsAsEngineUnavailable() throws Exception {
    try (RedisServerProcess gone = RedisServerProcess.start()) {
      gone.killHard();
      assertThatThrownBy(() -> RedisEngine.connect(gone.url(), SHORT))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("connecting");
    }
  }

  @Test
  void connect_withANonPositiveTimeout_isRefused() {
    assertThatThrownBy(() -> RedisEngine.connect(engines.server().url(), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeout");
  }

}
