package dev.buildcast.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a Node script of {@code src/test/node} (whose node_modules the build installs) and reads the
 * one JSON line it prints. A failing script fails the test with its stderr.
 */
public final class NodeScript {

  public static final Path DIR = Path.of("src/test/node").toAbsolutePath();

  private NodeScript() {}

  public static JsonNode run(Duration timeout, String script, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", DIR.resolve(script).toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(DIR.toFile()).start();
    CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
    CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(script + " did not finish in " + timeout + "; stderr:\n" + stderr.getNow(""));
    }
    String out = stdout.join();
    if (process.exitValue() != 0) {
      throw new AssertionError(script + " " + String.join(" ", args) + " failed (exit " + process.exitValue() + "):\n" + stderr.join() + out);
    }
    String last = out.strip().lines().reduce((a, b) -> b).orElseThrow(() -> new AssertionError(script + " printed nothing"));
    return new ObjectMapper().readTree(last);
  }

  public static Path screenshotDir() throws IOException {
    return Files.createDirectories(Path.of("target", "screenshots").toAbsolutePath());
  }

  private static String read(java.io.InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
