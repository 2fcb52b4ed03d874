package dev.buildcast.generator.openevent;

import java.nio.file.Path;

/**
 * A media file a page shows or links (an image, a session's audio): either a file from the
 * export, copied into the site and referenced relatively, or a remote https/http address that is
 * linked (or, for images the operator lets {@link RemoteImages} download, replaced by a local
 * copy before the site is written).
 *
 * @param href for a local file, the path inside the site ({@code images/speakers/x.png}),
 *     percent-encoded; for a remote one, the absolute address
 * @param source the file inside the unpacked export (or the downloaded copy) for a local file; {@code null} for a remote
 *     one
 * @param downloadedFrom for a downloaded copy, the address it came from; otherwise {@code null}
 */
public record SiteMedia(String href, Path source, String downloadedFrom) {

  public SiteMedia(String href, Path source) {
    this(href, source, null);
  }

  /** A copy of the image at {@code address}, downloaded to {@code file} and shown at {@code href}. */
  static SiteMedia downloaded(String href, Path file, String address) {
    return new SiteMedia(href, file, address);
  }

  /**
   * For places that need an absolute address (OpenGraph's {@code og:image}): the remote address,
   * also for a downloaded copy; {@code null} for a file from the zip.
   */
  public String absoluteAddress() {
    return local() ? downloadedFrom : href;
  }

  public static SiteMedia remote(String url) {
    return new SiteMedia(url, null);
  }

  public boolean local() {
    return source != null;
  }

  /** The address to use on a page at {@code root} ("" or "../") relative to the site's top. */
  public String src(String root) {
    return local() ? root + href : href;
  }
}
