package dev.buildcast.generator.openevent;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A session video that can play inside the page: a YouTube or Vimeo address turned into the
 * provider's embed address. The page never holds the iframe: it shows a button, and the site's
 * script builds the iframe only when the visitor presses it, so nobody's browser talks to the
 * provider just by opening the page. Without script the button stays hidden and the plain link
 * remains.
 *
 * @param provider "YouTube" or "Vimeo", for the button's label
 * @param embedUrl the iframe address, built from a checked id only
 */
record VideoEmbed(String provider, String embedUrl) {

  private static final Pattern YOUTUBE_ID = Pattern.compile("[A-Za-z0-9_-]{11}");
  private static final Pattern VIMEO_PATH = Pattern.compile("/(?:video/)?([0-9]{1,12})/?");

  static Optional<VideoEmbed> of(String videoUrl) {
    if (videoUrl == null) return Optional.empty();
    URI uri;
    try {
      uri = new URI(videoUrl);
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (host.equals("youtu.be")) return youtube(path.replaceFirst("^/", ""));
    if (host.equals("youtube.com") || host.endsWith(".youtube.com")) {
      if (path.startsWith("/embed/")) return youtube(path.substring("/embed/".length()));
      if (path.equals("/watch") && uri.getRawQuery() != null) {
        for (String pair : uri.getRawQuery().split("&")) {
          if (pair.startsWith("v=")) return youtube(pair.substring(2));
        }
      }
      return Optional.empty();
    }
    if (host.equals("vimeo.com") || host.endsWith(".vimeo.com")) {
      Matcher id = VIMEO_PATH.matcher(path);
      if (id.matches()) return Optional.of(new VideoEmbed("Vimeo", "https://player.vimeo.com/video/" + id.group(1)));
    }
    return Optional.empty();
  }

  private static Optional<VideoEmbed> youtube(String id) {
    if (!YOUTUBE_ID.matcher(id).matches()) return Optional.empty();
    return Optional.of(new VideoEmbed("YouTube", "https://www.youtube-nocookie.com/embed/" + id));
  }
}
