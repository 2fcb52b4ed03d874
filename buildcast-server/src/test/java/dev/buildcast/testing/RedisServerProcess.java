package dev.buildcast.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A {@code redis-server} process of the tests' own: a free port on 127.0.0.1 (never 6379), a
 * temporary folder, AOF on with {@code appendfsync everysec}, no RDB snapshots. A test class starts
 * one in {@code @BeforeAll} and closes it in {@code @AfterAll}; {@link #killHard()} and {@link
 * #restart()} stop it as {@code kill -9} does and bring it back on the same port and folder, so it
 * reloads its AOF; {@link #hang()} and {@link #resume()} stop and continue it ({@code SIGSTOP},
 * {@code SIGCONT}). {@link #startReplicaOf} and {@link #startSentinel} start a replica or a
 * Sentinel the same way (a Sentinel without AOF: its state is its configuration file).
 *
 * <p>When {@code redis-server} is not installed the test is skipped, saying which Debian package
 * to install; under {@code CI=true} it fails with that message instead ({@code .ci/run} installs
 * it, so a missing one there is a broken CI machine, not a reason to skip).
 */
public final class RedisServerProcess implements AutoCloseable {

  static final String BINARY = "redis-server";
  /** Only how long a failing start takes to say so; a good one answers as soon as it is up. */
  private static final Duration READY_BOUND = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 5;

  private final Path binary;
  private final Path folder;
  private final int port;
  /** What else this one is: a replica of another, or a Sentinel (see {@link #launch()}). */
  private final Role role;
  private Process process;

  /** A primary (the default), a replica of the primary on {@code port}, or a Sentinel of one. */
  private sealed interface Role {}

  private record Primary() implements Role {}

  private record ReplicaOf(int primaryPort) implements Role {}

  private record SentinelOf(String masterName, int primaryPort, Duration downAfter) implements Role {}

  private RedisServerProcess(Path binary, Path folder, int port, Role role) {
    this.binary = binary;
    this.folder = folder;
    this.port = port;
    this.role = role;
  }

  /** Starts one and waits until it answers {@code PING}; skips or fails the test when it is not installed. */
  public static RedisServerProcess start() throws IOException {
    return start(new Primary());
  }

  /**
   * Starts a replica of {@code primary} ({@code --replicaof}) and waits until it answers {@code
   * PING} (not until its first sync is done: {@link #awaitInSync()} waits for that).
   */
  public static RedisServerProcess startReplicaOf(RedisServerProcess primary) throws IOException {
    return start(new ReplicaOf(primary.port()));
  }

  /**
   * Starts a Sentinel ({@code redis-server <file> --sentinel}) monitoring {@code primary} as {@code
   * masterName}, with a quorum of 2, counting a primary down after {@code downAfter} without an
   * answer. Its configuration file is in its own folder (a Sentinel rewrites it).
   */
  public static RedisServerProcess startSentinel(String masterName, RedisServerProcess primary, Duration downAfter) throws IOException {
    return start(new SentinelOf(masterName, primary.port(), downAfter));
  }

  private static RedisServerProcess start(Role role) throws IOException {
    Path binary = requireInstalled(BINARY, System.getenv());
    Path folder = Files.createTempDirectory("buildcast-redis");
    // why several attempts: the free port we picked may be taken by someone else before Redis binds it
    for (int attempt = 1; ; attempt++) {
      RedisServerProcess redis = new RedisServerProcess(binary, folder, freeLoopbackPort(), role);
      try {
        redis.launch();
        return redis;
      } catch (PortTakenException e) {
        if (attempt == PORT_ATTEMPTS) {
          redis.close();
          throw new IllegalStateException("redis-server found no free port in " + PORT_ATTEMPTS + " attempts: " + e.getMessage());
        }
      } catch (RuntimeException | IOException e) {
        redis.close();
        throw e;
      }
    }
  }

  /**
   * The path of {@code binary} on the {@code PATH} of {@code env}; when there is none, fails (under
   * {@code CI=true}) or skips the test with a message naming the Debian package.
   */
  static Path requireInstalled(String binary, Map<String, String> env) {
    return InstalledBinary.require(binary, "Redis", "redis-server", env);
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  public int port() {
    return port;
  }

  /** Its data folder (AOF and log), deleted on {@link #close()}. */
  public Path folder() {
    return folder;
  }

  /** The URL clients connect to. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** Stops it as {@code kill -9} does (no AOF rewrite, no goodbye) and waits until it is gone. */
  public void killHard() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(READY_BOUND.toSeconds(), TimeUnit.SECONDS)) {
      throw new IllegalStateException("redis-server on port " + port + " did not exit after SIGKILL");
    }
  }

  /**
   * Stops it as {@code kill -STOP} does: the process stays, its port keeps accepting connections
   * (the kernel completes them), but nothing is answered until {@link #resume()} — a hung Redis.
   */
  public void hang() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a {@link #hang() hung} one go on ({@code kill -CONT}); it answers what it was sent meanwhile. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (process == null || !process.isAlive()) throw new IllegalStateException("redis-server on port " + port + " does not run");
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
    if (!kill.waitFor(READY_BOUND.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " of redis-server (pid " + process.pid() + ") failed: "
          + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  /** Starts it again on the same port and folder (it reloads its AOF) and waits until it answers. */
  public void restart() throws IOException {
    if (process != null && process.isAlive()) throw new IllegalStateException("redis-server on port " + port + " still runs");
    try {
      launch();
    } catch (PortTakenException e) {
      throw new IllegalStateException("redis-server could not get its port " + port + " back: " + e.getMessage());
    }
  }

  /** Deletes every key, so the next test starts from an empty Redis. */
  public void flushAll() throws IOException {
    String reply = command("FLUSHALL");
    if (!reply.equals("+OK")) throw new IllegalStateException("FLUSHALL answered " + reply);
  }

  /** Waits until this replica's link to its primary is up and its first sync done. */
  public void awaitInSync() {
    if (!(role instanceof ReplicaOf)) throw new IllegalStateException("redis-server on port " + port + " is not a replica");
    Awaitility.await("replica on port " + port + " in sync").atMost(READY_BOUND).pollInterval(Duration.ofMillis(20)).ignoreExceptions()
        .until(() -> info("replication").contains("master_link_status:up") && info("replication").contains("master_sync_in_progress:0"));
  }

  /** The answer to {@code INFO <section>}. */
  public String info(String section) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) READY_BOUND.toMillis());
      socket.setSoTimeout((int) READY_BOUND.toMillis());
      socket.getOutputStream().write(("INFO " + section + "\r\n").getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String header = in.readLine();
      if (header == null || !header.startsWith("$")) throw new IOException("INFO answered " + header);
      char[] body = new char[Integer.parseInt(header.substring(1))];
      int read = 0;
      while (read < body.length) {
        int n = in.read(body, read, body.length - read);
        if (n < 0) throw new IOException("INFO's answer ended early");
        read += n;
      }
      return new String(body);
    }
  }

  private List<String> commandLine() throws IOException {
    List<String> common = List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", folder.toString());
    List<String> line = new java.util.ArrayList<>();
    line.add(binary.toString());
    switch (role) {
      case Primary p -> line.addAll(common);
      case ReplicaOf r -> {
        line.addAll(common);
        line.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(r.primaryPort())));
      }
      case SentinelOf s -> {
        Path config = folder.resolve("sentinel.conf");
        // why only once: a Sentinel writes what it learnt (the new primary after a failover) into its file
        if (!Files.exists(config)) {
          Files.writeString(config, String.join("\n", "sentinel monitor " + s.masterName() + " 127.0.0.1 " + s.primaryPort() + " 2",
              "sentinel down-after-milliseconds " + s.masterName() + " " + s.downAfter().toMillis(),
              "sentinel failover-timeout " + s.masterName() + " 10000", ""));
        }
        line.add(config.toString());
        line.add("--sentinel");
        line.addAll(common);
        return line;
      }
    }
    line.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec", "--save", ""));
    return line;
  }

  private void launch() throws IOException {
    Path log = folder.resolve("redis.log");
    process = new ProcessBuilder(commandLine())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    try {
      Awaitility.await("redis-server on port " + port + " answering PING")
          .atMost(READY_BOUND)
          .pollInterval(Duration.ofMillis(20))
          .failFast("redis-server on port " + port + " exited", () -> !process.isAlive())
          .ignoreExceptions()
          .until(() -> command("PING").equals("+PONG"));
    } catch (ConditionTimeoutException | TerminalFailureException e) {
      String output = Files.readString(log);
      if (!process.isAlive() && output.contains("Address already in use")) throw new PortTakenException(output);
      process.destroyForcibly();
      throw new IllegalStateException("redis-server on port " + port + " did not answer PING (" + e.getMessage() + "); its output:\n"
          + output, e);
    }
  }

  /** One command in Redis's inline form, and the first line of its answer. */
  private String command(String inline) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) READY_BOUND.toMillis());
      socket.setSoTimeout((int) READY_BOUND.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      if (reply == null) throw new IOException("redis-server on port " + port + " closed the connection");
      return reply;
    }
  }

  @Override
  public void close() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(READY_BOUND.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    deleteFolder();
  }

  private void deleteFolder() {
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("could not delete the Redis test folder " + folder, e);
    }
  }

  /** Redis exited at start because another process holds its port. */
  private static final class PortTakenException extends RuntimeException {
    PortTakenException(String message) {
      super(message);
    }
  }
}
