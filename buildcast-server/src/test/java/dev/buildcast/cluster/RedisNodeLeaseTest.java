package dev.buildcast.cluster;

import dev.buildcast.EngineUnavailableException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.testing.ManualRepeater;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node's liveness key: written at start, renewed every fifth of the lease, removed on a clean stop. */
class RedisNodeLeaseTest {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();
  private static final Duration LEASE = Duration.ofSeconds(60);

  private RedisEngine admin;
  private final ManualRepeater repeater = new ManualRepeater();

  @BeforeEach
  void emptyRedis() {
    engines.flushAll();
    admin = engines.open();
  }

  private RedisNodeLease lease(String nodeId) {
    return engines.closedAfterTheTest(new RedisNodeLease(engines.open(), nodeId, LEASE, repeater));
  }

  private long ttlMillis(String nodeId) {
    return admin.call("test", r -> r.pttl(NodeKeys.liveness(nodeId)));
  }

  @Test
  void start_writesTheKeyWithTheLeaseAsTimeToLive_andRenewsEveryFifthOfIt() {
    RedisNodeLease lease = lease("n1");
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1"))).isZero();
    lease.start();
    assertThat(ttlMillis("n1")).isPositive().isLessThanOrEqualTo(LEASE.toMillis());
    assertThat(repeater.intervals()).containsExactly(Duration.ofSeconds(12));
    admin.call("test", r -> r.pexpire("bc:node:n1", 5_000));
    repeater.runDue();
    assertThat(ttlMillis("n1")).as("a renewal gives the key a whole lease again").isGreaterThan(5_000);
  }

  @Test
  void renew_afterTheKeyExpired_writesItAgain() {
    RedisNodeLease lease = lease("n1");
    lease.start();
    admin.call("test", r -> r.del("bc:node:n1"));
    repeater.runDue();
    assertThat(ttlMillis("n1")).isPositive();
  }

  @Test
  void close_removesTheKeyAndStopsRenewing() {
    RedisNodeLease lease = lease("n1");
    lease.start();
    lease.close();
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1"))).isZero();
    assertThat(repeater.intervals()).isEmpty();
    repeater.runDue();
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1"))).isZero();
  }

  @Test
  void close_ofAnEarlierLife_leavesTheKeyOfTheNextOne() {
    RedisNodeLease earlier = lease("n1");
    earlier.start();
    admin.call("test", r -> r.del("bc:node:n1")); // the earlier life hung for a lease: Redis expired its key
    RedisNodeLease next = lease("n1");
    next.start();
    earlier.close();
    assertThat(ttlMillis("n1")).isPositive();
  }

  /** A lease whose start waits on a stepped clock: each wait advances it and then runs {@code meanwhile}. */
  private RedisNodeLease steppedLease(String nodeId, AtomicLong nanos, Runnable meanwhile) {
    return engines.closedAfterTheTest(new RedisNodeLease(engines.open(), nodeId, LEASE, new ManualRepeater(), nanos::get, pause -> {
      nanos.addAndGet(pause.toNanos());
      meanwhile.run();
    }));
  }

  @Test
  void start_idOfALiveProcess_waitsALeaseThenRefusesNamingTheId_andLeavesItsKey() {
    RedisNodeLease live = lease("n1");
    live.start();
    AtomicLong nanos = new AtomicLong();
    // the live process renews every fifth of its lease while the second one waits
    RedisNodeLease second = steppedLease("n1", nanos, repeater::runDue);
    assertThatThrownBy(second::start).isInstanceOf(DuplicateNodeIdException.class).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node n1").hasMessageContaining("--node-id");
    assertThat(nanos.get()).as("waited for the key to expire first").isGreaterThanOrEqualTo(LEASE.toNanos());
    second.close();
    assertThat(ttlMillis("n1")).as("the live process's key").isPositive();
    live.close();
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1"))).as("it was the live process's key all along").isZero();
  }

  @Test
  void start_idOfACrashedProcess_takesItsKeyOnceItExpired() {
    RedisNodeLease crashed = lease("n1");
    crashed.start(); // and never renews again: its repeater never runs
    AtomicLong nanos = new AtomicLong();
    AtomicInteger waits = new AtomicInteger();
    RedisNodeLease restarted = steppedLease("n1", nanos, () -> {
      if (waits.incrementAndGet() == 3) admin.call("test", r -> r.del("bc:node:n1")); // its lease passed: Redis expired the key
    });
    restarted.start();
    assertThat(waits.get()).isEqualTo(3);
    crashed.close();
    assertThat(ttlMillis("n1")).as("the restarted process's key, which the crashed one's close leaves").isPositive();
  }

  @Test
  void renew_keyAnotherProcessTookOver_leavesItAndTellsCutOffOnce() {
    RedisNodeLease counted = lease("n1");
    AtomicInteger cutOff = new AtomicInteger();
    counted.whenCutOff(cutOff::incrementAndGet);
    counted.start();
    admin.call("test", r -> r.del("bc:node:n1"));
    RedisNodeLease taker = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), "n1", LEASE, new ManualRepeater()));
    taker.start();
    repeater.runDue();
    repeater.runDue();
    assertThat(cutOff.get()).isEqualTo(1);
    counted.close();
    assertThat(ttlMillis("n1")).as("the taker's key").isPositive();
    taker.close();
    assertThat(admin.<Long>call("test", r -> r.exists("bc:node:n1"))).isZero();
  }

  @Test
  void renew_whileRedisIsDown_isLoggedAndTheNextRenewalWritesAgain() throws Exception {
    RedisNodeLease lease = lease("n1");
    lease.start();
    engines.server().killHard();
    repeater.runDue();
    engines.server().restart();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreException(EngineUnavailableException.class).until(() -> {
      repeater.runDue();
      return ttlMillis("n1") > 0;
    });
  }

  @Test
  void renew_failingFor70PercentOfTheLease_tellsCutOffOnce_andAgainInTheNextOutageOnly() throws Exception {
    AtomicLong nanos = new AtomicLong();
    AtomicInteger told = new AtomicInteger();
    RedisNodeLease lease = engines.closedAfterTheTest(new RedisNodeLease(engines.open(), "n1", LEASE, repeater, nanos::get));
    lease.whenCutOff(told::incrementAndGet);
    lease.start();
    engines.server().killHard();
    try {
      nanos.set(LEASE.toNanos() * 69 / 100);
      lease.renew();
      assertThat(told).as("failing for less than 0.7 of the lease").hasValue(0);
      nanos.set(LEASE.toNanos() * 70 / 100);
      lease.renew();
      assertThat(told).hasValue(1);
      nanos.set(LEASE.toNanos() * 3);
      lease.renew();
      assertThat(told).as("once per outage").hasValue(1);
    } finally {
      engines.server().restart();
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreException(EngineUnavailableException.class).until(() -> {
      lease.renew();
      return ttlMillis("n1") > 0;
    });
    engines.server().killHard();
    try {
      nanos.addAndGet(LEASE.toNanos() * 69 / 100);
      lease.renew();
      assertThat(told).as("counted from the renewal that landed").hasValue(1);
      nanos.addAndGet(LEASE.toNanos() / 100);
      lease.renew();
      assertThat(told).hasValue(2);
    } finally {
      engines.server().restart();
    }
  }

  @Test
  void create_withABadNodeIdOrATinyLease_isRefusedNamingWhatIsWrong() {
    RedisEngine engine = engines.open();
    assertThatThrownBy(() -> new RedisNodeLease(engine, "n1:x", LEASE, repeater)).hasMessageContaining("node id");
    assertThatThrownBy(() -> new RedisNodeLease(engine, "n1", Duration.ofMillis(200), repeater)).hasMessageContaining("cluster.lease");
  }
}
