package dev.buildcast.storage.memory;

import dev.buildcast.job.JobRecord;
import dev.buildcast.job.JobStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link JobStore} in a map. The compare-and-set is the map's atomic {@code compute} on the job's
 * entry, so writes of different jobs never wait for each other.
 */
public final class InMemoryJobStore implements JobStore {

  private final Map<String, JobRecord> records = new ConcurrentHashMap<>();

  @Override
  public void save(JobRecord job) {
    records.put(job.id(), job);
  }

  @Override
  public Optional<JobRecord> update(long expectedVersion, JobRecord next) {
    JobRecord stored = next.withVersion(expectedVersion + 1);
    boolean[] won = new boolean[1];
    records.computeIfPresent(next.id(), (id, current) -> {
      if (current.version() != expectedVersion) return current;
      won[0] = true;
      return stored;
    });
    return won[0] ? Optional.of(stored) : Optional.empty();
  }

  @Override
  public Optional<JobRecord> find(String jobId) {
    return Optional.ofNullable(records.get(jobId));
  }

  @Override
  public List<JobRecord> all() {
    return List.copyOf(records.values());
  }

  @Override
  public void delete(String jobId) {
    records.remove(jobId);
  }
}
