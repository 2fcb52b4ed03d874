package dev.buildcast.cli;

import dev.buildcast.testing.ServerProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
    List<String> command = new ArrayList<>();
    if (interruptIgnoredHere()) {
      // why: a process inherits an ignored SIGINT (a test run started in the background or under
      // nohup), and the JVM then leaves it ignored: Ctrl-C would never reach the client. Perl is
      // the smallest thing found on every such machine that can restore it before exec.
      command.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec {$ARGV[0]} @ARGV or die \"exec: $!\""));
    }
    command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar", ServerProcess.jar().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("BUILDCAST_"));
    return new ClientProcess(builder.start());
  }

  /** Whether this JVM was started with SIGINT ignored (Linux tells in /proc; elsewhere assume not). */
  private static boolean interruptIgnoredHere() throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.isReadable(status)) return false;
    for (String line : Files.readAllLines(status, StandardCharsets.US_ASCII)) {
      if (line.startsWith("SigIgn:")) {
        long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
        return (ignored & (1L << (2 - 1))) != 0; // SIGINT is signal 2, bit 1 of the mask
      }
    }
    return false;
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
