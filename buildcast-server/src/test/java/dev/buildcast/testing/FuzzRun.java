package dev.buildcast.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seed and size of one fuzz run, and the failures it found. Each case draws from its own
 * {@link Random}, derived from the seed, the surface and the case number, so a failure printed as
 * {@code seed=S surface=X case=N} is generated again by {@code -Dbuildcast.fuzz.seed=S} (and
 * {@code -Dbuildcast.fuzz.case=N} to run that case alone).
 */
public final class FuzzRun {

  /** At most this many failures are kept (one bug tends to fail many cases alike). */
  private static final int MAX_KEPT = 20;

  private final long seed = Long.getLong("buildcast.fuzz.seed", new Random().nextLong());
  private final int tries = Integer.getInteger("buildcast.fuzz.tries", 150);
  private final Integer onlyCase = Integer.getInteger("buildcast.fuzz.case");
  private final java.util.Map<String, List<String>> failures = new java.util.HashMap<>();
  private final java.util.Map<String, Integer> failureCounts = new java.util.HashMap<>();

  public FuzzRun() {
    System.out.println("buildcast fuzz: seed=" + seed + " tries=" + tries + " (repeat with -Dbuildcast.fuzz.seed=" + seed + ")");
  }

  public long seed() {
    return seed;
  }

  /** The case numbers to run for a surface that runs {@code scale} times the base number of tries. */
  public List<Integer> cases(double scale) {
    if (onlyCase != null) return List.of(onlyCase);
    int n = Math.max(1, (int) Math.round(tries * scale));
    List<Integer> all = new ArrayList<>(n);
    for (int i = 0; i < n; i++) all.add(i);
    return all;
  }

  public Random random(String surface, int caseNumber) {
    return new Random(seed ^ (surface.hashCode() * 0x9E3779B97F4A7C15L) ^ (caseNumber * 0xC2B2AE3D27D4EB4FL));
  }

  public synchronized void fail(String surface, int caseNumber, String what) {
    failureCounts.merge(surface, 1, Integer::sum);
    List<String> kept = failures.computeIfAbsent(surface, k -> new ArrayList<>());
    String line = "seed=" + seed + " surface=" + surface + " case=" + caseNumber + ": " + what;
    System.out.println("buildcast fuzz FAILED " + line);
    if (kept.size() < MAX_KEPT) kept.add(line.length() > 2000 ? line.substring(0, 2000) + "…" : line);
  }

  /** The first failures of one surface. */
  public synchronized List<String> failures(String surface) {
    return List.copyOf(failures.getOrDefault(surface, List.of()));
  }

  public synchronized int failureCount(String surface) {
    return failureCounts.getOrDefault(surface, 0);
  }
}
