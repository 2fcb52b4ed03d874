package dev.buildcast.generator.openevent;

import dev.buildcast.generator.ProgressRange;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Copies the export's local images (and session audio) that pages use into the site, at the same
 * relative path, and counts the remote ones, which pages link to instead. Files no page uses are
 * not copied, and neither is anything that is not an allowed media type ({@link MediaTypes}).
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
    Set<SiteMedia> media = new LinkedHashSet<>();
    media.add(data.event().logo());
    media.add(data.event().background());
    data.speakers().forEach(s -> media.add(s.photo()));
    data.sponsors().forEach(s -> media.add(s.logo()));
    data.sessions().forEach(s -> media.add(s.audio()));
    media.remove(null);
    long localCount = media.stream().filter(SiteMedia::local).count();
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, (int) localCount);
    int local = 0;
    int remote = 0;
    Set<Path> copied = new java.util.HashSet<>();
    for (SiteMedia file : media) {
      Cancellation.throwIfInterrupted();
      if (!file.local()) {
        remote++;
        log.detail("linked remote file " + file.href());
        continue;
      }
      if (!copied.add(file.source())) continue;
      // why again here: whatever a page references, only an allowed media type enters the site
      if (!MediaTypes.isAllowed(file.source())) {
        log.detail("not copied (not an allowed media type): " + file.href());
        continue;
      }
      Path target = siteDir.resolve(decoded(file)).normalize();
      PrivateOutput.createFolders(target.getParent());
      try (var out = PrivateOutput.newFile(target)) {
        Files.copy(file.source(), out);
      }
      local++;
      log.detail("copied " + siteDir.relativize(target).toString().replace('\\', '/'));
      progress.advance();
    }
    return new Copied(local, remote);
  }

  /** The path of a local file inside the site: its href without percent-encoding. */
  private static String decoded(SiteMedia file) {
    return Objects.requireNonNull(java.net.URI.create(file.href()).getPath());
  }
}
