package dev.buildcast.generator.openevent;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The share links of a page: plain links to the services' share forms, so nothing is loaded from
 * them until a reader clicks one.
 *
 * <p>A link needs the page's own address. With the site's address known ({@link SiteAddress}) the
 * links are complete in the HTML; without it each link keeps {@link #URL} in its pattern and the
 * page's script fills in the address the page was opened at, and only on http(s) — a page opened
 * from a file has no address worth sharing, so there the links stay hidden.
 */
final class ShareLinks {

  /** Where the page's address goes in a pattern. */
  static final String URL = "{url}";

  /** One link: {@code href} is complete when the address was known, else {@code pattern} is for the script. */
  record ShareLink(String label, String href, String pattern) {}

  private record Service(String label, String pattern) {}

  private ShareLinks() {}

  /**
   * @param title what the page is about (a session's title)
   * @param pageAddress the page's address, or null when only the script can know it
   */
  static List<ShareLink> of(String title, String pageAddress, Labels labels) {
    String text = encode(title);
    List<Service> services = List.of(
        new Service(labels.text("share.email"), "mailto:?subject=" + text + "&body=" + URL),
        new Service("Bluesky", "https://bsky.app/intent/compose?text=" + text + "%20" + URL),
        new Service("X", "https://x.com/intent/post?text=" + text + "&url=" + URL),
        new Service("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?url=" + URL),
        new Service("Facebook", "https://www.facebook.com/sharer/sharer.php?u=" + URL));
    return services.stream()
        .map(s -> pageAddress == null
            ? new ShareLink(s.label(), null, s.pattern())
            : new ShareLink(s.label(), s.pattern().replace(URL, encode(pageAddress)), null))
        .toList();
  }

  /** Percent-encoding that every target reads alike: a space is {@code %20}, never {@code +} (mail clients show a +). */
  static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
