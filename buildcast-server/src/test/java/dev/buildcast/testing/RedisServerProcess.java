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
 * reloads its AOF.
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
  private Process process;

  private RedisServerProcess(Path binary, Path folder, int port) {
    this.binary = binary;
    this.folder = folder;
    this.port = port;
  }

  /** Starts one and waits until it answers {@code PING}; skips or fails the test when it is not installed. */
  public static RedisServerProcess start() throws IOException {
    Path binary = requireInstalled(BINARY, System.getenv());
    Path folder = Files.createTempDirectory("buildcast-redis");
    // why several attempts: the free port we picked may be taken by someone else before Redis binds it
    for (int attempt = 1; ; attempt++) {
      RedisServerProcess redis = new RedisServerProcess(binary, folder, freeLoopbackPort());
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

  private void launch() throws IOException {
    Path log = folder.resolve("redis.log");
    process = new ProcessBuilder(List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
            "--appendonly", "yes", "--appendfsync", "everysec", "--dir", folder.toString(), "--save", ""))
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
