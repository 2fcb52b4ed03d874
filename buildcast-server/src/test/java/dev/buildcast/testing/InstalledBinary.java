package dev.buildcast.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A server program the tests start themselves ({@code redis-server}, {@code haproxy}), looked up on
 * the {@code PATH}. When it is missing the test is skipped with a message naming the Debian package;
 * under {@code CI=true} it fails with that message instead ({@code .ci/run} installs these, so a
 * missing one there is a broken CI machine, not a reason to skip).
 */
final class InstalledBinary {

  private InstalledBinary() {}

  /**
   * The path of {@code binary} on the {@code PATH} of {@code env}, else a skip (or a failure under CI).
   *
   * @param what what the tests start with it, for the message ("Redis")
   * @param debianPackage the package that installs it
   */
  static Path require(String binary, String what, String debianPackage, Map<String, String> env) {
    Optional<Path> found = Stream.of(env.getOrDefault("PATH", "").split(java.io.File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, binary))
        .filter(Files::isExecutable)
        .findFirst();
    if (found.isPresent()) return found.get();
    String message = binary + " is not installed: these tests start their own " + what + "; install the Debian package "
        + debianPackage + " (.ci/run does)";
    if ("true".equals(env.get("CI"))) Assertions.fail(message);
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }
}
