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
    RedisNodeLease next = lease("n1");
    next.start();
    earlier.close();
    assertThat(ttlMillis("n1")).isPositive();
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
