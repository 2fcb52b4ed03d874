package dev.buildcast.generator.openevent;

import dev.buildcast.generator.JobContext;
import dev.buildcast.generator.ServerPaths;
import dev.buildcast.log.LogSink;
import dev.buildcast.net.OutboundAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One run of the open-event-site generator: the five steps in order, each in its own log group
 * with its share of the progress bar. Only the step order and the summary lines live here.
 */
public final class OpenEventSite {

  /** The unpacked site's folder, under the job's work dir. */
  public static final String SITE_FOLDER = "site";

  /** The artifact's file name, in the job's output dir. */
  public static final String ARTIFACT = "site.zip";

  private final JobContext context;
  private final String language;
  private final LogSink log;
  private final SiteAddress address;
  private final ZipLimits limits;
  private final RemoteImageSettings remoteImages;
  private final Clock clock;

  /** @param address where the site will be published, or null when unknown */
  public OpenEventSite(JobContext context, String language, SiteAddress address) {
    this(context, language, address, ZipLimits.DEFAULT, RemoteImageSettings.off(), Clock.systemUTC());
  }

  /**
   * @param remoteImages whether and how images named by an http(s) address are downloaded
   * @param clock measures the time budget of those downloads
   */
  OpenEventSite(JobContext context, String language, SiteAddress address, ZipLimits limits,
      RemoteImageSettings remoteImages, Clock clock) {
    this.context = context;
    this.language = language;
    this.address = address;
    this.log = context.log();
    this.limits = limits;
    this.remoteImages = remoteImages;
    this.clock = clock;
  }

  /** A step's body; may fail the job with a broken-input message. */
  private interface Step<T> {
    T run() throws BrokenExportException, IOException, InterruptedException;
  }

  /**
   * Builds the site and its artifact.
   *
   * @throws BrokenExportException after writing the basic error line, when the input is unusable
   */
  public void build() throws BrokenExportException, IOException, InterruptedException {
    Path exportDir = context.workDir().resolve("export");
    Path siteDir = context.workDir().resolve(SITE_FOLDER);
    Path downloads = context.workDir().resolve(DOWNLOADS);
    log.progress(0);
    try {
      build(exportDir, siteDir, downloads);
    } finally {
      // why: the unpacked export can be large and everything the site needs was copied out of it
      removeQuietly(exportDir);
      removeQuietly(downloads);
    }
  }

  /** Where the progress bar stands after fetching remote images, when that step runs. */
  private static final int FETCHED_PERCENT = 30;

  /** The job's folder for downloaded images until they are copied into the site; not under the export, so no zip entry can be one. */
  private static final String DOWNLOADS = "fetched-images";

  private void build(Path exportDir, Path siteDir, Path downloads) throws BrokenExportException, IOException, InterruptedException {
    step("Unpacking the export", 10, () -> {
      Path zip = context.input().orElseThrow(() ->
          new BrokenExportException("no input: upload an Open Event export zip"));
      SafeUnzipper.Unpacked unpacked = new SafeUnzipper(limits, log).unpack(zip, exportDir, 0, 10);
      log.notice("unpacked " + count(unpacked.files(), "file") + " (" + unpacked.bytes() + " bytes)");
      return unpacked;
    });

    EventData checked = step("Reading and checking the data", 25, () -> {
      DataProblems problems = new DataProblems(log);
      Path dataRoot = ExportFiles.dataRoot(exportDir, log);
      ExportNormaliser normaliser = new ExportNormaliser(dataRoot, log, problems);
      EventData read = normaliser.read();
      log.notice(count(read.sessions().size(), "session") + ", " + count(read.speakers().size(), "speaker") + ", "
          + count(read.tracks().size(), "track") + ", " + count(read.rooms().size(), "room") + ", "
          + count(read.sponsors().size(), "sponsor"));
      if (normaliser.unpublished() > 0) {
        log.notice(count(normaliser.unpublished(), "unpublished session") + " left out");
      }
      problems.summarise("reading the data");
      return read;
    });

    EventData data = remoteImages.fetch() ? step("Fetching remote images", FETCHED_PERCENT, () -> fetchImages(checked, downloads)) : checked;

    Thumbnails.Result images = step("Copying images and audio", 35, () -> {
      Files.createDirectories(siteDir);
      MediaCopier.Copied copied = new MediaCopier(log).copy(data, siteDir, remoteImages.fetch() ? FETCHED_PERCENT : 25, 35);
      log.notice("copied " + count(copied.local(), "local file") + " (images, audio); linked "
          + count(copied.remote(), "remote file"));
      DataProblems imageProblems = new DataProblems(log);
      Thumbnails.Result thumbnails = new Thumbnails(log, imageProblems).make(data, siteDir);
      if (!thumbnails.thumbnails().isEmpty()) {
        log.notice("made " + count(thumbnails.thumbnails().size(), "thumbnail") + " of speaker photos and sponsor logos");
      }
      imageProblems.summarise("checking the images");
      return thumbnails;
    });

    step("Rendering pages", 90, () -> {
      Labels labels = Labels.forTag(language).orElseThrow(() ->
          new BrokenExportException("language \"" + language + "\" is not offered; use one of " + Labels.SUPPORTED));
      EventClock clock = new EventClock(data.event().zone(), labels);
      int pages = new SiteRenderer(siteDir, language, labels, address, log).render(data, clock, images, 35, 90);
      log.notice("rendered " + count(pages, "page"));
      return pages;
    });

    step("Packaging", 100, () -> {
      Path artifact = context.outputDir().resolve(ARTIFACT);
      int files = new SitePackager(log).pack(siteDir, artifact, 90, 100);
      log.notice("packed " + count(files, "file") + " into " + ARTIFACT + " (" + Files.size(artifact) + " bytes); "
          + "the unpacked site is in the job's work folder under " + SITE_FOLDER + "/");
      return files;
    });
  }

  /** Downloads the remote images; one basic line counts them, each one is a detail line. */
  private EventData fetchImages(EventData read, Path downloads) throws IOException, InterruptedException {
    DataProblems problems = new DataProblems(log);
    OutboundAddresses addresses = OutboundAddresses.of("image", remoteImages.allowPrivateAddresses(),
            "openEventSite.remoteImages.allowPrivateAddresses", OutboundAddresses.SYSTEM)
        .onlyTo(remoteImages.allowedHosts(), "openEventSite.remoteImages.allowedHosts");
    RemoteImages.Result result;
    // why closed now: the client's threads and connections would otherwise outlive the job
    try (HttpImageFetcher fetcher = HttpImageFetcher.start(addresses, remoteImages.requestTimeout())) {
      result = new RemoteImages(remoteImages, fetcher, clock, log, problems).fetch(read, downloads);
    }
    if (result.fetched() + result.failed() == 0) {
      log.notice("no remote images to fetch");
    } else {
      log.notice("fetched " + count(result.fetched(), "remote image") + " (" + result.bytes() + " bytes)"
          + (result.failed() == 0 ? "" : "; " + result.failed() + " could not be used and stay linked or left out"));
    }
    problems.summarise("fetching remote images");
    return result.data();
  }

  private void removeQuietly(Path dir) {
    if (!Files.exists(dir)) return;
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
      log.detail("removed " + context.workDir().relativize(dir));
    } catch (IOException e) {
      // why: a leftover folder must not turn a finished (or already failed) job into another failure
      log.detail("could not remove the unpacked export: " + ServerPaths.hidden(e.getMessage(), context));
    }
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private <T> T step(String title, int endPercent, Step<T> body)
      throws BrokenExportException, IOException, InterruptedException {
    log.group(title);
    try {
      T result = body.run();
      log.progress(endPercent);
      return result;
    } catch (BrokenExportException e) {
      log.error(e.getMessage());
      throw e;
    } finally {
      log.endGroup();
    }
  }
}
