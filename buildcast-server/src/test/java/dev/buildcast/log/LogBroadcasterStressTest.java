package dev.buildcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.buildcast.storage.file.FileLogStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model of the product's promise: whatever clients do (stall, recover, disconnect and resume
 * from their last seq) while a job writes, each ends with exactly the job's log, no gap, no
 * duplicate, in order.
 */
class LogBroadcasterStressTest {

  private static final int LINES = 200_000;
  private static final int CLIENTS = 16;

  @TempDir Path dir;

  /** One simulated browser: its received lines outlive its subscriptions. */
  private static final class Client {
    final RecordingSubscriber received;
    final LogFilter filter;
    LogSubscription subscription;
    int resumes;
    volatile boolean stallsOnItsOwn = true;

    Client(LogFilter filter, long seed) {
      this.filter = filter;
      SplittableRandom ownRandom = new SplittableRandom(seed);
      this.received = new RecordingSubscriber();
      // why: a client also stalls on its own, right after taking a batch, on whichever broadcaster
      // thread offered it; that interleaves refusals with ticks and catch-up reads
      received.onAccepted(
          batch -> {
            boolean stall;
            synchronized (ownRandom) {
              stall = stallsOnItsOwn && ownRandom.nextInt(8) == 0;
            }
            if (stall) received.refuse();
          });
    }

    void subscribe(LogBroadcaster broadcaster, JobLog log) {
      subscription = broadcaster.subscribe(log, received.cursor(), filter, received.reconnect());
    }

    void resume(LogBroadcaster broadcaster, JobLog log) {
      subscription.cancel();
      resumes++;
      subscribe(broadcaster, log);
    }
  }

  // why fixed seeds: the test must give the same verdict on every run; what varies with the
  // machine is only how the broadcaster's threads interleave, and the assertions hold for any
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1_202_612L, 42L})
  void randomStallsAndResumes_while200000LinesAreWritten_everyClientEndsWithExactlyTheLog(long seed) {
    Random random = new Random(seed);
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
    ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor();
    try (FileLogStore store = new FileLogStore(id -> dir.resolve(id), LogStoreOptions.unforced(Clock.systemUTC()))) {
      LogBroadcaster broadcaster = new LogBroadcaster(ticker, readers, 500);
      JobLog log = store.open("job-1");
      List<Client> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        Client client = new Client(i % 3 == 0 ? LogFilter.BASIC : LogFilter.ALL, random.nextLong());
        client.subscribe(broadcaster, log);
        clients.add(client);
      }
      // why: one refusal made certain up front, so the refusal path is exercised on any machine
      // however the stalls below happen to interleave with the broadcaster's threads
      Client first = clients.get(0);
      first.received.refuse();
      log.append(LogLevel.NOTICE, "first line");
      await().atMost(Duration.ofSeconds(60)).until(() -> first.received.refusals() > 0);
      first.received.accept();

      int appends = 0;
      while (log.lastSeq() < LINES) {
        appends++;
        LogLevel level = random.nextInt(8) == 0 ? LogLevel.NOTICE : LogLevel.DETAIL;
        String text = random.nextInt(50) == 0 ? "burst " + appends + "\nmore\nmore" : "line " + appends;
        log.append(level, text);
        if (appends % 200 == 0) {
          for (int action = random.nextInt(4); action > 0; action--) {
            Client client = clients.get(random.nextInt(CLIENTS));
            switch (random.nextInt(3)) {
              case 0 -> client.received.refuse();
              case 1 -> client.received.accept();
              default -> client.resume(broadcaster, log);
            }
          }
        }
      }
      log.seal();
      for (Client client : clients) {
        client.stallsOnItsOwn = false;
        client.received.accept();
      }

      // a stall already decided may still land after the accept above; lift it again
      await()
          .atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                clients.forEach(client -> client.received.accept());
                return clients.stream().allMatch(client -> client.received.caughtUpCalls() == 1);
              });

      List<Long> all = LongStream.rangeClosed(1, log.lastSeq()).boxed().toList();
      List<Long> basic = log.read(0, LogFilter.BASIC, Integer.MAX_VALUE).stream().map(LogLine::seq).toList();
      int resumes = 0;
      for (Client client : clients) {
        assertThat(client.received.violations()).as("seed %d", seed).isEmpty();
        SequenceAssert.assertSameSequence(
            "seed " + seed + ", " + client.filter + " client",
            client.received.seqs(),
            client.filter == LogFilter.ALL ? all : basic);
        assertThat(client.subscription.isEnded()).isTrue();
        resumes += client.resumes;
      }
      assertThat(resumes).isPositive();
      assertThat(clients).anySatisfy(client -> assertThat(client.received.refusals()).isPositive());
      assertThat(broadcaster.activeJobCount()).isZero();
      log.close();
    } finally {
      ticker.shutdownNow();
      readers.shutdownNow();
    }
  }
}
