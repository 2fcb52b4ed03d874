package dev.buildcast.generator.openevent;

import java.nio.file.Path;

/**
 * An image a page shows: either a file from the export, copied into the site and referenced
 * relatively, or a remote https/http address that is linked, never downloaded.
 *
 * @param href for a local image, the path inside the site ({@code images/speakers/x.png}),
 *     percent-encoded; for a remote one, the absolute address
 * @param source the file inside the unpacked export for a local image; {@code null} for a remote
 *     one
 */
public record SiteImage(String href, Path source) {

  public static SiteImage remote(String url) {
    return new SiteImage(url, null);
  }

  public boolean local() {
    return source != null;
  }

  /** The address to use on a page at {@code root} ("" or "../") relative to the site's top. */
  public String src(String root) {
    return local() ? root + href : href;
  }
}
