package dev.buildcast.generator.openevent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides what a media reference of the export becomes on the site. A path inside the zip
 * ({@code /images/speakers/x.png}) must name a file that was unpacked under the folder expected for
 * its kind ({@code images/} or {@code audio/}); it will be copied to the same place in the site. An
 * absolute http(s) address is linked as it is here; {@link RemoteImages} may later replace an
 * image's address by a downloaded copy, when the operator allows downloads. A local
 * file must also be an allowed type of its kind by name and content ({@link MediaTypes}). Anything
 * else is a data problem.
 */
final class MediaLocator {

  /** Where images must be inside the zip. */
  static final String IMAGES = "images/";

  /** Where audio files must be inside the zip. */
  static final String AUDIO = "audio/";

  private final Path exportDir;
  private final DataProblems problems;

  MediaLocator(Path exportDir, DataProblems problems) {
    this.exportDir = exportDir.toAbsolutePath().normalize();
    this.problems = problems;
  }

  /** An image: a file under {@code images/} or a remote address. */
  Optional<SiteMedia> image(Optional<String> reference, String owner) {
    return locate(reference, owner, IMAGES, "image", MediaTypes.Kind.IMAGE);
  }

  /** An audio recording: a file under {@code audio/} or a remote address. */
  Optional<SiteMedia> audio(Optional<String> reference, String owner) {
    return locate(reference, owner, AUDIO, "audio file", MediaTypes.Kind.AUDIO);
  }

  /**
   * @param reference the export's value, possibly blank
   * @param owner what the file belongs to, for the problem line ("speaker 12 photo")
   * @param folder the zip folder local files of this kind must be in
   * @param kind the kind of file, for the problem line
   */
  private Optional<SiteMedia> locate(
      Optional<String> reference, String owner, String folder, String kind, MediaTypes.Kind type) {
    if (reference.isEmpty()) return Optional.empty();
    String ref = reference.get();
    String lower = ref.toLowerCase(Locale.ROOT);
    if (lower.startsWith("https://") || lower.startsWith("http://")) {
      return remote(ref, owner, kind);
    }
    if (lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
      problems.report(owner + ": " + kind + " address \"" + ref + "\" is neither a file in the zip nor http(s); left out");
      return Optional.empty();
    }
    return local(ref, owner, folder, kind, type);
  }

  private Optional<SiteMedia> remote(String ref, String owner, String kind) {
    try {
      URI uri = new URI(ref);
      if (uri.getHost() == null) throw new URISyntaxException(ref, "no host");
      return Optional.of(SiteMedia.remote(uri.toASCIIString()));
    } catch (URISyntaxException e) {
      problems.report(owner + ": " + kind + " address \"" + ref + "\" is not a valid URL; left out");
      return Optional.empty();
    }
  }

  private Optional<SiteMedia> local(String ref, String owner, String folder, String kind, MediaTypes.Kind type) {
    String relative = ref.replace('\\', '/');
    while (relative.startsWith("/")) relative = relative.substring(1);
    Path file = exportDir.resolve(relative).normalize();
    String inside = file.startsWith(exportDir) ? exportDir.relativize(file).toString().replace('\\', '/') : "";
    if (!inside.startsWith(folder)) {
      problems.report(owner + ": " + kind + " \"" + ref + "\" is not under " + folder + " in the zip; left out");
      return Optional.empty();
    }
    if (!Files.isRegularFile(file)) {
      problems.report(owner + ": " + kind + " \"" + ref + "\" is missing from the zip; left out");
      return Optional.empty();
    }
    // why: the site is served to browsers; an HTML or SVG file in images/ or audio/ could carry script
    Optional<String> refusal = refusal(file, type);
    if (refusal.isPresent()) {
      problems.report(owner + ": " + kind + " \"" + ref + "\" " + refusal.get() + "; left out");
      return Optional.empty();
    }
    return Optional.of(new SiteMedia(encodePath(inside), file));
  }

  private static Optional<String> refusal(Path file, MediaTypes.Kind type) {
    try {
      return MediaTypes.refusal(file, type);
    } catch (java.io.IOException e) {
      return Optional.of("could not be read (" + e.getClass().getSimpleName() + ")");
    }
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
