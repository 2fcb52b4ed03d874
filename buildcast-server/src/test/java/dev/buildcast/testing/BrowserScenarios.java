package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs browser scenarios: a Node script under {@code src/test/node/web} drives Debian's Chromium
 * with playwright-core against a running server. The script's output goes to the test output;
 * a line {@code ASK <request>} is a request only the JUnit side can carry out (such as dropping
 * connections from the server side), answered with one line on the script's stdin.
 */
public final class BrowserScenarios {

  /** Where failure screenshots and the page's screenshots are kept. */
  public static final Path SCREENSHOTS = Path.of("target", "web-screenshots").toAbsolutePath();
  private static final Path NODE_DIR = Path.of("src", "test", "node").toAbsolutePath();
  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

  private BrowserScenarios() {}

  /** Runs the scenarios and fails with the script's output unless every one passed; returns the output. */
  public static List<String> run(RunningServer server, String script, Duration timeout, Function<String, String> answers,
      String... scenarios) throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("browser tests need Chromium at %s (apt-get install chromium)", CHROMIUM).isTrue();
    List<String> command = new ArrayList<>(List.of("node", "web/" + script));
    command.addAll(List.of(scenarios));
    ProcessBuilder builder = new ProcessBuilder(command).directory(NODE_DIR.toFile()).redirectErrorStream(true);
    builder.environment().put("BASE_URL", server.url());
    builder.environment().put("DATA_DIR", server.dataDir().toString());
    builder.environment().put("SHOTS_DIR", SCREENSHOTS.toString());
    builder.environment().put("CHROMIUM", CHROMIUM.toString());
    Process node = builder.start();
    List<String> output = new ArrayList<>();
    Thread reader = Thread.ofVirtual().start(() -> read(node, answers, output));
    boolean ended = node.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!ended) {
      node.descendants().forEach(ProcessHandle::destroyForcibly);
      node.destroyForcibly();
    }
    reader.join(5_000);
    String all;
    synchronized (output) {
      all = String.join("\n", output);
    }
    assertThat(ended).as("browser scenarios %s ended within %s:\n%s", List.of(scenarios), timeout, all).isTrue();
    assertThat(node.exitValue()).as("browser scenarios %s:\n%s", List.of(scenarios), all).isZero();
    synchronized (output) {
      return List.copyOf(output);
    }
  }

  private static void read(Process node, Function<String, String> answers, List<String> output) {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        Writer toNode = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        System.out.println("[browser] " + line);
        synchronized (output) {
          output.add(line);
        }
        if (line.startsWith("ASK ")) {
          toNode.write(answers.apply(line.substring(4)) + "\n");
          toNode.flush();
        }
      }
    } catch (IOException e) {
      System.out.println("[browser] output ended: " + e);
    }
  }

  /** Figures the script printed as {@code FIGURE name = value}. */
  public static String figure(List<String> output, String name) {
    return output.stream().filter(l -> l.startsWith("FIGURE " + name + " = "))
        .map(l -> l.substring(("FIGURE " + name + " = ").length())).findFirst().orElse(null);
  }
}
