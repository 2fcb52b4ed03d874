package dev.buildcast.cli;

import dev.buildcast.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** The packaged jar run as the command-line client, its output collected line by line as it comes. */
final class ClientProcess implements AutoCloseable {

  final Process process;
  final List<String> out = new CopyOnWriteArrayList<>();
  final List<String> err = new CopyOnWriteArrayList<>();

  private ClientProcess(Process process) {
    this.process = process;
    collect(process.getInputStream(), out);
    collect(process.getErrorStream(), err);
  }

  static ClientProcess start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", ServerProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("BUILDCAST_"));
    return new ClientProcess(builder.start());
  }

  /** Runs to the end; the exit code. */
  static ClientProcess run(String... args) throws Exception {
    ClientProcess client = start(args);
    client.process.getOutputStream().close();
    client.exitCode();
    return client;
  }

  int exitCode() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the client did not exit; out " + out + ", err " + err);
    }
    // why: the readers may still hold the last lines; they end with the streams
    readers.forEach(t -> {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    return process.exitValue();
  }

  String stdout() {
    return String.join("\n", out);
  }

  String stderr() {
    return String.join("\n", err);
  }

  void type(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Ctrl-C: SIGINT to the client's JVM. */
  void interrupt() throws Exception {
    new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor();
  }

  private final List<Thread> readers = new CopyOnWriteArrayList<>();

  private void collect(java.io.InputStream stream, List<String> into) {
    readers.add(Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) into.add(line);
      } catch (IOException e) {
        // the process ended
      }
    }));
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
