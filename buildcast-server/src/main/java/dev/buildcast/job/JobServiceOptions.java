package dev.buildcast.job;

import dev.buildcast.time.Repeater;
import dev.buildcast.generator.GeneratorRegistry;
import dev.buildcast.log.LogStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link JobService} works with, checked once: build it with {@link #builder()}.
 *
 * @param store the job records (the truth about every job)
 * @param logs the jobs' detailed logs
 * @param generators the generators jobs may name
 * @param queue the ids waiting to run, and this node's slots
 * @param bus where status changes go out
 * @param files the jobs' folders
 * @param inputs completed uploads, as job inputs
 * @param inputCheck run on each job's input before its generator (zip safety, for instance)
 * @param settings timeouts and secrets
 * @param clock the time every record and lease is stamped with
 * @param repeater runs the lease renewals and the lease sweep
 * @param nodeId this node's stable id: the owner written into the jobs it runs
 * @param lease how long a claim on a running job lasts without renewal; renewed every third of it
 * @param leaseTrust whether a passed lease means a dead owner now (false right after the shared
 *     store was unreachable: nobody could renew); {@link LeaseTrust#ALWAYS} on a single node
 * @param leaseSweepEvery how often passed leases are looked for (see {@link Builder#leaseSweepEvery})
 * @param storeFilesFor how long a job whose generator ended waits for the blob store to take its
 *     artifacts and site before it fails (see {@link Builder#storeFilesFor})
 */
public record JobServiceOptions(
    JobStore store,
    LogStore logs,
    GeneratorRegistry generators,
    JobQueue queue,
    StatusBus bus,
    JobFiles files,
    InputFiles inputs,
    InputCheck inputCheck,
    JobSettings settings,
    Clock clock,
    Repeater repeater,
    String nodeId,
    Duration lease,
    LeaseTrust leaseTrust,
    Duration leaseSweepEvery,
    Duration storeFilesFor) {

  /** The lease when none is given: long enough for a GC pause or a busy disk, short enough to notice a dead node soon. */
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);

  public JobServiceOptions {
    Objects.requireNonNull(store, "job options need a store (JobStore)");
    Objects.requireNonNull(logs, "job options need a log store (LogStore)");
    Objects.requireNonNull(generators, "job options need the generators");
    Objects.requireNonNull(queue, "job options need a queue (JobQueue)");
    Objects.requireNonNull(bus, "job options need a status bus");
    Objects.requireNonNull(files, "job options need the job folders (JobFiles)");
    Objects.requireNonNull(inputs, "job options need the input files (InputFiles.none() for none)");
    Objects.requireNonNull(inputCheck, "job options need an input check (InputCheck.none() for none)");
    Objects.requireNonNull(settings, "job options need the settings (timeouts, secrets)");
    Objects.requireNonNull(clock, "job options need a clock");
    Objects.requireNonNull(repeater, "job options need a repeater");
    Objects.requireNonNull(nodeId, "job options need this node's id");
    Objects.requireNonNull(lease, "job options need a lease duration");
    Objects.requireNonNull(leaseTrust, "job options need a lease trust (LeaseTrust.ALWAYS for a single node)");
    if (nodeId.isBlank()) throw new IllegalArgumentException("the node id must not be blank");
    if (lease.compareTo(Duration.ofMillis(300)) < 0) throw new IllegalArgumentException("the job lease must be at least 300 ms, got " + lease);
    Objects.requireNonNull(leaseSweepEvery, "job options need how often leases are swept");
    Objects.requireNonNull(storeFilesFor, "job options need how long an ended job waits to store its files");
    if (storeFilesFor.isNegative()) throw new IllegalArgumentException("the wait to store a job's files must not be negative, got " + storeFilesFor);
    if (leaseSweepEvery.isNegative() || leaseSweepEvery.isZero() || leaseSweepEvery.compareTo(lease) > 0) {
      throw new IllegalArgumentException("the lease sweep must run at least once a lease, got every " + leaseSweepEvery + " for " + lease);
    }
  }

  /** How often a running job's lease is renewed: a third of it, so two renewals may fail before it expires. */
  Duration renewEvery() {
    return lease.dividedBy(3);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link JobServiceOptions}. Required: store, logs, generators, queue, files, settings and
   * nodeId. Defaults: a {@link LocalStatusBus}, no inputs, no input check, the system clock, a
   * repeater on the settings' timer, {@link #DEFAULT_LEASE}, and {@link LeaseTrust#ALWAYS}.
   */
  public static final class Builder {
    private JobStore store;
    private LogStore logs;
    private GeneratorRegistry generators;
    private JobQueue queue;
    private StatusBus bus;
    private JobFiles files;
    private InputFiles inputs = InputFiles.none();
    private InputCheck inputCheck = InputCheck.none();
    private JobSettings settings;
    private Clock clock = Clock.systemUTC();
    private Repeater repeater;
    private String nodeId;
    private Duration lease = DEFAULT_LEASE;
    private LeaseTrust leaseTrust = LeaseTrust.ALWAYS;
    private Duration leaseSweepEvery;
    private Duration storeFilesFor = Duration.ZERO;

    private Builder() {}

    public Builder store(JobStore value) {
      store = value;
      return this;
    }

    public Builder logs(LogStore value) {
      logs = value;
      return this;
    }

    public Builder generators(GeneratorRegistry value) {
      generators = value;
      return this;
    }

    public Builder queue(JobQueue value) {
      queue = value;
      return this;
    }

    public Builder bus(StatusBus value) {
      bus = value;
      return this;
    }

    public Builder files(JobFiles value) {
      files = value;
      return this;
    }

    public Builder inputs(InputFiles value) {
      inputs = value;
      return this;
    }

    public Builder inputCheck(InputCheck value) {
      inputCheck = value;
      return this;
    }

    public Builder settings(JobSettings value) {
      settings = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder repeater(Repeater value) {
      repeater = value;
      return this;
    }

    public Builder nodeId(String value) {
      nodeId = value;
      return this;
    }

    public Builder lease(Duration value) {
      lease = value;
      return this;
    }

    public Builder leaseTrust(LeaseTrust value) {
      leaseTrust = value;
      return this;
    }

    /**
     * How often this node looks for passed leases (default: once a lease). A job whose owner died
     * is failed at most this long after its lease passed; a cluster looks more often, as its
     * store lists only the passed leases ({@link JobStore#withExpiredLeases}).
     */
    public Builder leaseSweepEvery(Duration value) {
      leaseSweepEvery = value;
      return this;
    }

    /**
     * How long a job whose generator ended waits for the blob store to take its artifacts and
     * site, trying again, before it fails with "files not stored" (default: not at all, as on one
     * node a failing local folder seldom heals by itself; a cluster waits out an object-storage outage).
     */
    public Builder storeFilesFor(Duration value) {
      storeFilesFor = value;
      return this;
    }

    public JobServiceOptions build() {
      Objects.requireNonNull(settings, "job options need the settings (timeouts, secrets)");
      return new JobServiceOptions(store, logs, generators, queue, bus == null ? new LocalStatusBus() : bus, files, inputs, inputCheck,
          settings, clock, repeater == null ? Repeater.on(settings.timer()) : repeater, nodeId, lease, leaseTrust,
          leaseSweepEvery == null ? lease : leaseSweepEvery, storeFilesFor);
    }
  }
}
