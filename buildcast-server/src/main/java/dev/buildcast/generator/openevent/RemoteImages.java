package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Downloads the images the export names by an http(s) address (the event's logo and background,
 * speakers' photos, sponsors' logos) into a folder of the job, so they enter the site exactly like
 * images from the zip: copied, given thumbnails, referenced relatively. Each distinct address is
 * fetched once. A download is kept only when its first bytes are an allowed image type, and it is
 * saved under a name made from the address's hash and that type, never the address's path.
 *
 * <p>A failed download (refused address, HTTP error, timeout, too large) is a data problem and
 * the page links the address as before; a download that is not an image is a data problem and the
 * page shows the placeholder, since the browser would get the same bytes.
 */
final class RemoteImages {

  /** Where fetched images go in the site. */
  static final String FOLDER = MediaLocator.IMAGES + "fetched/";

  private static final int HEAD_BYTES = 16;

  private final RemoteImageSettings settings;
  private final ImageFetcher fetcher;
  private final Clock clock;
  private final LogSink log;
  private final DataProblems problems;

  RemoteImages(RemoteImageSettings settings, ImageFetcher fetcher, Clock clock, LogSink log, DataProblems problems) {
    this.settings = settings;
    this.fetcher = fetcher;
    this.clock = clock;
    this.log = log;
    this.problems = problems;
  }

  /** What became of the remote images: the data with local copies in their place, and counts. */
  record Result(EventData data, int fetched, int failed, long bytes) {}

  /**
   * @param downloads a folder of the job outside the site and the unpacked export; the copies are
   *     written there and taken into the site by {@link MediaCopier}
   */
  Result fetch(EventData data, Path downloads) throws IOException, InterruptedException {
    Map<String, List<String>> owners = remoteImages(data);
    Map<String, Optional<SiteMedia>> replaced = new LinkedHashMap<>();
    Instant stop = clock.instant().plus(settings.jobBudget());
    long bytes = 0;
    int fetched = 0;
    int failed = 0;
    for (Map.Entry<String, List<String>> image : owners.entrySet()) {
      Cancellation.throwIfInterrupted();
      String url = image.getKey();
      String who = owners(image.getValue());
      Optional<String> skipped = fetched + failed >= settings.maxImages()
          ? Optional.of("more than " + settings.maxImages() + " remote images (openEventSite.remoteImages.maxImages)")
          : !clock.instant().isBefore(stop)
              ? Optional.of("the time for fetching images (" + settings.jobBudget() + ", openEventSite.remoteImages.jobBudget) is spent")
              : bytes >= settings.maxBytesPerJob()
                  ? Optional.of("the job's downloads reached " + settings.maxBytesPerJob() + " bytes (openEventSite.remoteImages.maxBytesPerJob)")
                  : Optional.empty();
      if (skipped.isPresent()) {
        failed++;
        problems.report(who + ": image " + url + " not fetched: " + skipped.get() + "; linked instead");
        continue;
      }
      Duration left = Duration.between(clock.instant(), stop);
      Duration timeout = left.compareTo(settings.requestTimeout()) < 0 ? left : settings.requestTimeout();
      long cap = Math.min(settings.maxBytesPerImage(), settings.maxBytesPerJob() - bytes);
      ImageFetcher.Outcome outcome = fetcher.fetch(URI.create(url), timeout, cap);
      if (outcome instanceof ImageFetcher.Failed(String reason)) {
        failed++;
        problems.report(who + ": image " + url + " could not be fetched (" + reason + "); linked instead");
        continue;
      }
      byte[] body = ((ImageFetcher.Fetched) outcome).body();
      Optional<String> type = MediaTypes.imageExtension(Arrays.copyOf(body, Math.min(body.length, HEAD_BYTES)));
      if (type.isEmpty()) {
        failed++;
        problems.report(who + ": image " + url + " is not " + MediaTypes.Kind.IMAGE.expected() + " by its content; left out");
        replaced.put(url, Optional.empty());
        continue;
      }
      String name = hash(url) + "." + type.get();
      Path file = downloads.resolve(name);
      PrivateOutput.createFolders(downloads);
      try (OutputStream out = PrivateOutput.newFile(file)) {
        out.write(body);
      }
      bytes += body.length;
      fetched++;
      replaced.put(url, Optional.of(SiteMedia.downloaded(FOLDER + name, file, url)));
      log.detail("fetched " + url + " (" + body.length + " bytes) as " + FOLDER + name);
    }
    return new Result(replace(data, replaced), fetched, failed, bytes);
  }

  /** Each remote image's address with what uses it ("speaker 12 photo"), in the order pages show them. */
  private static Map<String, List<String>> remoteImages(EventData data) {
    Map<String, List<String>> owners = new LinkedHashMap<>();
    add(owners, data.event().logo(), "event logo");
    add(owners, data.event().background(), "event background image");
    data.speakers().forEach(s -> add(owners, s.photo(), "speaker " + s.id() + " photo"));
    data.sponsors().forEach(s -> add(owners, s.logo(), "sponsor " + s.id() + " logo"));
    return owners;
  }

  private static void add(Map<String, List<String>> owners, SiteMedia media, String owner) {
    if (media == null || media.local()) return;
    owners.computeIfAbsent(media.href(), url -> new ArrayList<>()).add(owner);
  }

  /** "speaker 1 photo", or "speaker 1 photo and 4 more" when many records share one address. */
  private static String owners(List<String> owners) {
    return owners.size() == 1 ? owners.get(0) : owners.get(0) + " and " + (owners.size() - 1) + " more";
  }

  private static EventData replace(EventData data, Map<String, Optional<SiteMedia>> replaced) {
    if (replaced.isEmpty()) return data;
    EventInfo e = data.event();
    EventInfo event = new EventInfo(e.id(), e.name(), e.start(), e.end(), e.zone(), e.locationName(), e.descriptionHtml(),
        swap(e.logo(), replaced), swap(e.background(), replaced), e.eventUrl(), e.ticketUrl(), e.codeOfConductHtml(),
        e.socialLinks(), e.organiser(), e.email(), e.copyright(), e.licence(), e.mapUrl(), e.publishedAt());
    List<Speaker> speakers = data.speakers().stream().map(s -> new Speaker(s.id(), s.name(), s.organisation(), s.position(),
        s.country(), swap(s.photo(), replaced), s.shortBiographyHtml(), s.longBiographyHtml(), s.website(), s.profiles(),
        s.featured())).toList();
    List<Sponsor> sponsors = data.sponsors().stream().map(s -> new Sponsor(s.id(), s.name(), s.level(), s.type(), s.url(),
        swap(s.logo(), replaced), s.descriptionHtml())).toList();
    return new EventData(event, data.sessions(), speakers, data.tracks(), data.rooms(), sponsors);
  }

  private static SiteMedia swap(SiteMedia media, Map<String, Optional<SiteMedia>> replaced) {
    if (media == null || media.local() || !replaced.containsKey(media.href())) return media;
    return replaced.get(media.href()).orElse(null);
  }

  /** 20 bytes of the address's SHA-256: the same address gives the same name in every run. */
  private static String hash(String url) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 20);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
