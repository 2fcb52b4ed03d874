package dev.buildcast.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged jar run as its own process, the way users start it. */
public final class ServerProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("Buildcast listening on (http://\\S+)");

  private final Process process;
  private final String url;
  private final List<String> stdout;

  private ServerProcess(Process process, String url, List<String> stdout) {
    this.process = process;
    this.url = url;
    this.stdout = stdout;
  }

  public static Path jar() {
    String jar = System.getProperty("buildcast.jar");
    if (jar == null) throw new IllegalStateException("run through Maven: the buildcast.jar system property names the packaged jar");
    return Path.of(jar);
  }

  /** Starts the jar and waits for its "listening" line. */
  public static ServerProcess start(Map<String, String> env, String... args) throws Exception {
    return start(List.of(), env, args);
  }

  /** The same with options for the JVM ({@code -Xmx256m}, say) before {@code -jar}. */
  public static ServerProcess start(List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
    return start(ProcessBuilder.Redirect.DISCARD, null, jvmOptions, env, args);
  }

  /**
   * The same, with the server's stderr (its log) appended to {@code errorLog}, whose end a start
   * that fails quotes: for tests whose servers are not in-process, so a failure can be read.
   */
  public static ServerProcess startLoggingTo(Path errorLog, List<String> jvmOptions, Map<String, String> env, String... args) throws Exception {
    return start(ProcessBuilder.Redirect.appendTo(errorLog.toFile()), errorLog, jvmOptions, env, args);
  }

  private static ServerProcess start(ProcessBuilder.Redirect stderr, Path errorLog, List<String> jvmOptions, Map<String, String> env,
      String... args) throws Exception {
    Process process = command(jvmOptions, env, args).redirectError(stderr).start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<String> ready = new CompletableFuture<>();
    Thread.ofVirtual().start(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = out.readLine()) != null) {
          lines.add(line);
          Matcher m = READY.matcher(line);
          if (m.matches()) ready.complete(m.group(1));
        }
        ready.completeExceptionally(new IllegalStateException("server exited" + exitCode(process) + " before it was ready: " + lines + tail(errorLog)));
      } catch (IOException e) {
        ready.completeExceptionally(e);
      }
    });
    return new ServerProcess(process, ready.get(60, TimeUnit.SECONDS), lines);
  }

  /** Runs the jar to its end and returns exit code and output. */
  public static Result run(Map<String, String> env, String... args) throws Exception {
    Process process = command(List.of(), env, args).start();
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    String out = read(process.getInputStream());
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the jar did not exit");
    }
    return new Result(process.exitValue(), out, err.join());
  }

  /** Exit code, stdout, stderr. */
  public record Result(int exitCode, String stdout, String stderr) {}

  private static ProcessBuilder command(List<String> jvmOptions, Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("BUILDCAST_"));
    builder.environment().putAll(env);
    return builder;
  }

  /** " with exit code N" (128 + a signal's number when one ended it), once it ended. */
  private static String exitCode(Process process) {
    try {
      return process.waitFor(60, TimeUnit.SECONDS) ? " with exit code " + process.exitValue() : "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // why: the reader thread ends here anyway; keep the flag for whoever looks
      return "";
    }
  }

  /** The last lines of {@code errorLog}, or nothing when there is none. */
  private static String tail(Path errorLog) {
    if (errorLog == null) return "";
    try {
      List<String> lines = java.nio.file.Files.readAllLines(errorLog, StandardCharsets.UTF_8);
      return "; the end of its stderr (" + errorLog + "):\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "; its stderr could not be read: " + e;
    }
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  public String url() {
    return url;
  }

  /** The server JVM's process id (for a thread dump when a test fails, say). */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public List<String> stdout() {
    return List.copyOf(stdout);
  }

  /**
   * SIGKILL to the server's JVM alone, as {@code kill -9 <pid>} or the OOM killer does: the
   * processes of its jobs live on.
   */
  public void killServerOnly() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGSTOP to the server's JVM: it stops dead (as a long GC pause or a frozen VM would) while the
   * processes of its jobs run on; {@link #resume} lets it go on where it stopped.
   */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause}. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).redirectErrorStream(true).start();
    String output = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed: " + output);
    }
  }

  /** SIGKILL: no shutdown hook, no flush, nothing. */
  public void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() {
    if (!process.isAlive()) return;
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // why: a closing resource must not throw it; the caller sees the flag
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }
}
