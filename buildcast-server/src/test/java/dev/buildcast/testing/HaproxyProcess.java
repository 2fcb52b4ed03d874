package dev.buildcast.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * An {@code haproxy} process of the tests' own, running the configuration the README gives
 * operators ({@link #README_CONFIG}) with only its {@code bind} address (a free loopback port) and
 * its servers' addresses filled in, so what CI tests is what operators copy.
 *
 * <p>When {@code haproxy} is not installed the test is skipped naming the Debian package; under
 * {@code CI=true} it fails instead.
 */
public final class HaproxyProcess implements AutoCloseable {

  /** The checked-in configuration the README quotes; tests run from the module's folder. */
  public static final Path README_CONFIG = Path.of("..", "docs", "haproxy-buildcast.cfg").toAbsolutePath().normalize();

  /** Only how long a failing start takes to say so; a good one listens as soon as it is up. */
  private static final Duration READY_BOUND = Duration.ofSeconds(60);
  private static final int PORT_ATTEMPTS = 5;
  private static final Pattern BIND = Pattern.compile("^(\\s*)bind\\s+\\S+(.*)$");
  private static final Pattern SERVER = Pattern.compile("^(\\s*server\\s+)(\\S+)\\s+\\S+(.*)$");

  private final Process process;
  private final int port;
  private final Path log;

  private HaproxyProcess(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  /**
   * Starts {@code haproxy} on {@code config} and waits until it listens.
   *
   * @param servers each {@code server} line's name → the {@code host:port} to use instead of the file's
   * @param folder where the filled-in configuration and haproxy's output go
   */
  public static HaproxyProcess start(Path config, Map<String, String> servers, Path folder) throws IOException {
    Path binary = requireInstalled();
    String template = Files.readString(config);
    // why several attempts: the free port we picked may be taken by someone else before haproxy binds it
    for (int attempt = 1; ; attempt++) {
      int port = freeLoopbackPort();
      Path filled = Files.writeString(folder.resolve("haproxy-" + attempt + ".cfg"), fill(template, port, servers));
      Path log = folder.resolve("haproxy-" + attempt + ".log");
      Process process = new ProcessBuilder(List.of(binary.toString(), "-db", "-f", filled.toString()))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
      try {
        Awaitility.await("haproxy listening on port " + port)
            .atMost(READY_BOUND)
            .pollInterval(Duration.ofMillis(20))
            .failFast("haproxy exited", () -> !process.isAlive())
            .until(() -> accepts(port));
        return new HaproxyProcess(process, port, log);
      } catch (ConditionTimeoutException | TerminalFailureException e) {
        process.destroyForcibly();
        String output = Files.readString(log);
        if (output.contains("cannot bind") && attempt < PORT_ATTEMPTS) continue;
        throw new IllegalStateException("haproxy did not start on port " + port + " (" + e.getMessage() + "); its output:\n" + output, e);
      }
    }
  }

  /** The {@code haproxy} binary; skips the test (fails it under {@code CI=true}) naming the Debian package when it is missing. */
  public static Path requireInstalled() {
    return InstalledBinary.require("haproxy", "HAProxy", "haproxy", System.getenv());
  }

  /**
   * {@code template} with its one {@code bind} line listening on 127.0.0.1:{@code port} and each
   * {@code server} line's address replaced; anything else is kept as written. Fails when the
   * template has no single {@code bind} line or its servers are not exactly {@code servers}' names,
   * so a changed README configuration cannot silently go untested.
   */
  static String fill(String template, int port, Map<String, String> servers) {
    List<String> out = new ArrayList<>();
    int binds = 0;
    Set<String> named = new HashSet<>();
    for (String line : template.split("\n", -1)) {
      Matcher bind = BIND.matcher(line);
      Matcher server = SERVER.matcher(line);
      if (bind.matches()) {
        binds++;
        out.add(bind.group(1) + "bind 127.0.0.1:" + port + bind.group(2));
      } else if (server.matches()) {
        String address = servers.get(server.group(2));
        if (address == null) throw new IllegalArgumentException("the configuration names server " + server.group(2) + ", the test has " + servers.keySet());
        named.add(server.group(2));
        out.add(server.group(1) + server.group(2) + " " + address + server.group(3));
      } else {
        out.add(line);
      }
    }
    if (binds != 1) throw new IllegalArgumentException("the configuration has " + binds + " bind lines, the test fills in exactly one");
    if (!named.equals(servers.keySet())) throw new IllegalArgumentException("the configuration's servers are " + named + ", the test has " + servers.keySet());
    return String.join("\n", out);
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) READY_BOUND.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The URL clients use, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://127.0.0.1:" + port;
  }

  /** What haproxy printed (warnings, servers going down and up). */
  public String output() throws IOException {
    return Files.readString(log);
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(READY_BOUND.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // why: a closing resource must not throw it; the caller sees the flag
    }
  }
}
