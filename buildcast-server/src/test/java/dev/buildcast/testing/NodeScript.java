package dev.buildcast.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a Node script from src/test/node/scripts and returns its stdout. */
public final class NodeScript {

  private NodeScript() {}

  public static final Path SCRIPTS = Path.of("src/test/node/scripts").toAbsolutePath();

  /** Runs {@code node script args...}; fails with its stderr when it exits non-zero or takes longer than {@code timeoutSeconds}. */
  public static String run(String script, long timeoutSeconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", SCRIPTS.resolve(script).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(SCRIPTS.getParent().toFile()).start();
    CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(script + " did not finish in " + timeoutSeconds + " s; stderr: " + err.join());
    }
    if (process.exitValue() != 0) {
      throw new AssertionError(script + " exited with " + process.exitValue() + "; stderr: " + err.join() + "; stdout: " + out.join());
    }
    return out.join();
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
