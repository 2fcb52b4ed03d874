package dev.buildcast.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Lists the files a job left in its output folder. Links are skipped: they are never served. */
final class Artifacts {

  private Artifacts() {}

  static List<Artifact> list(Path outputDir) {
    if (!Files.isDirectory(outputDir)) return List.of();
    try (Stream<Path> walk = Files.walk(outputDir)) {
      return walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .map(p -> new Artifact(outputDir.relativize(p).toString().replace('\\', '/'), size(p)))
          .sorted(Comparator.comparing(Artifact::name))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the artifacts in " + outputDir, e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).size();
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the size of " + p, e);
    }
  }
}
