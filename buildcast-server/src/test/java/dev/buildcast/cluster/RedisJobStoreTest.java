package dev.buildcast.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobState;
import dev.buildcast.job.JobStore;
import dev.buildcast.job.JobStoreContract;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.log.cluster.LogMark;
import dev.buildcast.log.cluster.LogOwner;
import dev.buildcast.storage.JobRecordJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisJobStoreTest extends JobStoreContract {

  @RegisterExtension static final RedisTestEngines engines = new RedisTestEngines();

  @Override
  protected JobStore newStore() {
    engines.flushAll();
    return new RedisJobStore(engines.open());
  }

  @Test
  void update_keepsStateOwnerAndVersionBesideTheRecord_forScriptsToDecideOn() {
    JobStore store = newStore();
    RedisEngine engine = engines.open();
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    String key = RedisJobStore.jobKey(job.id());
    Map<String, String> fields = engine.call("test", r -> r.hgetall(key));
    assertThat(fields).containsEntry("state", "queued").containsEntry("version", "0")
        .doesNotContainKey("owner");
    JobRecord running = new JobRecord(job.id(), "hash", "docs", Map.of("k", "v"), null, JobState.RUNNING, 0, null, null, AT, AT, null,
        List.of(), null, 0, "n2", AT.plusSeconds(30));
    store.update(0, running).orElseThrow();
    fields = engine.call("test", r -> r.hgetall(key));
    assertThat(fields).containsEntry("state", "running").containsEntry("version", "1")
        .containsEntry("owner", "n2");
  }

  @Test
  void delete_aJobWithAShippedAndSealedLog_leavesNoKeyOfTheJob() {
    JobStore store = newStore();
    RedisEngine admin = engines.open();
    RedisAcceptedLines lines = engines.closedAfterTheTest(new RedisAcceptedLines(engines.open()));
    JobRecord job = queued(SecureTokens.newId());
    store.save(job);
    LogOwner owner = new LogOwner("n1", 1);
    admin.call("test", r -> r.hset(RedisJobStore.jobKey(job.id()), RedisAcceptedLines.LOG_OWNER, owner.token()));
    assertThat(lines.append(job.id(), owner, 0, List.of(new LogLine(1, 5, LogLevel.DETAIL, "a"))).isStored()).isTrue();
    assertThat(lines.mark(job.id(), owner, 1, 1, LogMark.seal()).isStored()).isTrue();
    String pattern = "bc:{" + job.id() + "}:*";
    assertThat(admin.<List<String>>call("test", r -> r.keys(pattern))).hasSize(2);

    // why the record's delete alone: once it is gone nothing finds the id again, so whatever of the job it leaves stays forever
    store.delete(job.id());

    assertThat(admin.<List<String>>call("test", r -> r.keys(pattern))).isEmpty();
    assertThat(lines.append(job.id(), owner, 1, List.of(new LogLine(2, 5, LogLevel.DETAIL, "late"))))
        .as("a late append of the owner").isEqualTo(AppendResult.fenced(0));
    assertThat(lines.mark(job.id(), owner, 1, 2, LogMark.status("late")).isStored()).isFalse();
    assertThat(admin.<List<String>>call("test", r -> r.keys(pattern))).isEmpty();
  }

  @Test
  void find_onAnotherNode_readsWhatOneNodeSaved_inTheSameJsonAsTheFileStore() throws Exception {
    JobStore first = newStore();
    JobStore second = new RedisJobStore(engines.open());
    JobRecord job = queued(SecureTokens.newId());
    first.save(job);
    assertThat(second.find(job.id())).contains(job);
    String stored = engines.open().call("test", r -> r.hget(RedisJobStore.jobKey(job.id()), "rec"));
    assertThat(JobRecordJson.read(stored.getBytes(StandardCharsets.UTF_8))).isEqualTo(job);
  }

  @Test
  void all_aRecordThatIsNotJson_isSkipped() {
    JobStore store = newStore();
    JobRecord good = queued(SecureTokens.newId());
    store.save(good);
    String broken = SecureTokens.newId();
    engines.open().call("test", r -> {
      r.hset(RedisJobStore.jobKey(broken), "rec", "{not json");
      return r.zadd(RedisJobStore.JOBS, 1, broken);
    });
    assertThat(store.all()).containsExactly(good);
  }
}
