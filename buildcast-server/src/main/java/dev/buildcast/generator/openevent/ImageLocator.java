package dev.buildcast.generator.openevent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what an image reference of the export becomes on the site. A path inside the zip
 * ({@code /images/speakers/x.png}) must name a file under {@code images/} that was unpacked; it
 * will be copied to the same place in the site. An absolute http(s) address is linked as it is:
 * the generator never downloads anything. Anything else is a data problem.
 */
final class ImageLocator {

  private static final String IMAGES_FOLDER = "images/";

  private final Path exportDir;
  private final DataProblems problems;

  ImageLocator(Path exportDir, DataProblems problems) {
    this.exportDir = exportDir.toAbsolutePath().normalize();
    this.problems = problems;
  }

  /**
   * @param reference the export's value, possibly blank
   * @param owner what the image belongs to, for the problem line ("speaker 12 photo")
   */
  Optional<SiteImage> locate(Optional<String> reference, String owner) {
    if (reference.isEmpty()) return Optional.empty();
    String ref = reference.get();
    String lower = ref.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return remote(ref, owner);
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
      problems.report(owner + ": image address \"" + ref + "\" is neither a file in the zip nor http(s); left out");
      return Optional.empty();
    }
    return local(ref, owner);
  }

  private Optional<SiteImage> remote(String ref, String owner) {
    try {
      URI uri = new URI(ref);
      if (uri.getHost() == null) throw new URISyntaxException(ref, "no host");
      return Optional.of(SiteImage.remote(uri.toASCIIString()));
    } catch (URISyntaxException e) {
      problems.report(owner + ": image address \"" + ref + "\" is not a valid URL; left out");
      return Optional.empty();
    }
  }

  private Optional<SiteImage> local(String ref, String owner) {
    String relative = ref.replace('\\', '/');
    while (relative.startsWith("/")) relative = relative.substring(1);
    Path file = exportDir.resolve(relative).normalize();
    String inside = file.startsWith(exportDir) ? exportDir.relativize(file).toString().replace('\\', '/') : "";
    if (!inside.startsWith(IMAGES_FOLDER)) {
      problems.report(owner + ": image \"" + ref + "\" is not under images/ in the zip; left out");
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      problems.report(owner + ": image \"" + ref + "\" is missing from the zip; left out");
      return Optional.empty();
    }
    return Optional.of(new SiteImage(encodePath(inside), file));
  }

  /** Percent-encodes a relative path so names with spaces or non-ASCII work in an href. */
  private static String encodePath(String path) {
    try {
      return new URI(null, null, path, null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot encode " + path, e);
    }
  }
}
