package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Copies the export's local images (and session audio) that pages use into the site, at the same
 * relative path, and counts the remote ones, which pages link to instead. Files no page uses are
 * not copied.
 */
final class MediaCopier {

  private final LogSink log;

  MediaCopier(LogSink log) {
    this.log = log;
  }

  /** How many images were copied and how many are linked remotely. */
  record Copied(int local, int remote) {}

  Copied copy(EventData data, Path siteDir, int fromPercent, int toPercent)
      throws IOException, InterruptedException {
    Set<SiteMedia> images = new LinkedHashSet<>();
    images.add(data.event().logo());
    images.add(data.event().background());
    data.speakers().forEach(s -> images.add(s.photo()));
    data.sponsors().forEach(s -> images.add(s.logo()));
    data.sessions().forEach(s -> images.add(s.audio()));
    images.remove(null);
    long localCount = images.stream().filter(SiteMedia::local).count();
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, (int) localCount);
    int local = 0;
    int remote = 0;
    Set<Path> copied = new java.util.HashSet<>();
    for (SiteMedia image : images) {
      Cancellation.throwIfInterrupted();
      if (!image.local()) {
        remote++;
        log.detail("linked remote file " + image.href());
        continue;
      }
      if (!copied.add(image.source())) continue;
      Path target = siteDir.resolve(decoded(image)).normalize();
      Files.createDirectories(target.getParent());
      Files.copy(image.source(), target, StandardCopyOption.REPLACE_EXISTING);
      local++;
      log.detail("copied " + siteDir.relativize(target).toString().replace('\\', '/'));
      progress.advance();
    }
    return new Copied(local, remote);
  }

  /** The file path of a local image inside the site: its href without percent-encoding. */
  private static String decoded(SiteMedia image) {
    return Objects.requireNonNull(java.net.URI.create(image.href()).getPath());
  }
}
