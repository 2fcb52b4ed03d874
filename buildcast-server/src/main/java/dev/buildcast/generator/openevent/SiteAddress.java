package dev.buildcast.generator.openevent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where the site will be published, as the job's {@code siteUrl} parameter says: an absolute
 * http(s) address with a host and nothing else a page address could not be built on (no user,
 * query or fragment). Only with it can a page name its own address without a script, for share
 * links and {@code og:url}; a site on {@code file://} or behind an unknown prefix has none.
 *
 * @param base the address, ending with {@code /}
 */
record SiteAddress(String base) {

  static final String PARAM = "siteUrl";

  /** Longer addresses are refused: a share link carries it twice and some services cut at 2,000 characters. */
  static final int MAX_LENGTH = 512;

  /** The address of a page of the site, such as {@code sessions/12.html}. */
  String page(String path) {
    return base + path;
  }

  /** The parameter's value as an address, or empty when it cannot be one (see {@link #problem}). */
  static Optional<SiteAddress> parse(String text) {
    return problem(text).isPresent() ? Optional.empty() : Optional.of(new SiteAddress(text.endsWith("/") ? text : text + "/"));
  }

  /** Why the parameter's value cannot be the site's address, in a sentence that says what to give instead. */
  static Optional<String> problem(String text) {
    String shown = "\"" + dev.buildcast.BuildcastException.excerpt(text) + "\"";
    if (text.length() > MAX_LENGTH) {
      return Optional.of(PARAM + " " + shown + " is longer than " + MAX_LENGTH + " characters.");
    }
    if (WebAddress.of(text).isEmpty()) {
      return Optional.of(PARAM + " " + shown + " is not an http(s) address; give the address the site will be"
          + " published at, such as https://events.example.org/summit/.");
    }
    try {
      URI uri = new URI(text);
      if (uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
        return Optional.of(PARAM + " " + shown + " has a user name, query or fragment; give only the folder the site"
            + " will be published at, such as https://events.example.org/summit/.");
      }
    } catch (URISyntaxException e) {
      return Optional.of(PARAM + " " + shown + " is not an address: " + e.getReason() + ".");
    }
    return Optional.empty();
  }
}
