package dev.buildcast.generator.openevent;

import dev.buildcast.log.LogSink;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Small copies of the speakers' photos and the sponsors' logos, so a list of 200 speakers does not
 * load 200 full-size photos to show 64-pixel circles. Only files copied from the export are
 * scaled; remote ones stay linked.
 *
 * <p>Images come from the upload, so they are hostile: the size in the file's header is read first
 * and an image over {@link #MAX_PIXELS} is not decoded at all (its original is shown); a file no
 * image reader understands, or that fails to decode, is a data problem and the page shows the
 * initials placeholder (or the sponsor's name) instead of a broken image. Large images are decoded
 * with subsampling, so memory stays near the thumbnail's size.
 */
final class Thumbnails {

  /** The longest side of a thumbnail, twice the 64 px the lists show, for high-density screens. */
  static final int SIZE = 128;

  /** Images with more pixels than this (about 8000 × 5000) are never decoded. */
  static final long MAX_PIXELS = 40_000_000L;

  static final String FOLDER = "images/thumbs/";

  /** Names of formats the JDK decodes; a file named so that no reader understands is broken. */
  private static final java.util.regex.Pattern READABLE =
      java.util.regex.Pattern.compile("(?i).*\\.(png|jpe?g|gif|bmp)");

  /** What became of each local image: its thumbnail's href, or broken. */
  record Result(Map<String, String> thumbnails, java.util.Set<String> broken) {

    /** For templates: the address to show for {@code media} at {@code root}, thumbnail first. */
    public String src(SiteMedia media, String root) {
      String thumb = thumbnails.get(media.href());
      return thumb == null ? media.src(root) : root + thumb;
    }

    /** For templates: whether the image could not be read and a placeholder should stand in. */
    public boolean isBroken(SiteMedia media) {
      return media != null && broken.contains(media.href());
    }
  }

  private final LogSink log;
  private final DataProblems problems;

  Thumbnails(LogSink log, DataProblems problems) {
    this.log = log;
    this.problems = problems;
  }

  Result make(EventData data, Path siteDir) throws IOException, InterruptedException {
    Map<SiteMedia, String> images = new LinkedHashMap<>();
    data.speakers().forEach(s -> images.putIfAbsent(s.photo(), "speaker " + s.id() + " photo"));
    data.sponsors().forEach(s -> images.putIfAbsent(s.logo(), "sponsor " + s.id() + " logo"));
    images.remove(null);
    Map<String, String> thumbnails = new HashMap<>();
    java.util.Set<String> broken = new java.util.HashSet<>();
    for (Map.Entry<SiteMedia, String> image : images.entrySet()) {
      Cancellation.throwIfInterrupted();
      SiteMedia media = image.getKey();
      if (!media.local()) continue;
      String target = FOLDER + name(media.href());
      switch (scale(media.source(), siteDir.resolve(target), image.getValue())) {
        case MADE -> {
          thumbnails.put(media.href(), target);
          log.detail("wrote " + target + " (thumbnail of " + media.href() + ")");
        }
        case BROKEN -> broken.add(media.href());
        case KEPT -> { }
      }
    }
    return new Result(Map.copyOf(thumbnails), java.util.Set.copyOf(broken));
  }

  private enum Outcome { MADE, KEPT, BROKEN }

  private Outcome scale(Path source, Path target, String owner) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(source.toFile())) {
      Iterator<ImageReader> readers = in == null ? java.util.Collections.emptyIterator() : ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        if (!READABLE.matcher(source.getFileName().toString()).matches()) return Outcome.KEPT; // SVG, WebP: shown as they are
        problems.report(owner + ": " + source.getFileName() + " is not a readable image; left out");
        return Outcome.BROKEN;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if ((long) width * height > MAX_PIXELS) {
          log.detail(owner + ": " + width + "×" + height + " px is too large to scale safely; the original is shown");
          return Outcome.KEPT;
        }
        if (width <= SIZE && height <= SIZE) return Outcome.KEPT;
        Optional<BufferedImage> decoded = decode(reader, width, height);
        if (decoded.isEmpty()) {
          problems.report(owner + ": " + source.getFileName() + " could not be decoded as an image; left out");
          return Outcome.BROKEN;
        }
        Files.createDirectories(target.getParent());
        ImageIO.write(resized(decoded.get()), "png", target.toFile());
        return Outcome.MADE;
      } catch (IOException | RuntimeException e) {
        // why: image decoders throw all sorts of runtime exceptions on crafted files
        problems.report(owner + ": " + source.getFileName() + " could not be decoded as an image (" + e.getClass().getSimpleName()
            + "); left out");
        return Outcome.BROKEN;
      } finally {
        reader.dispose();
      }
    }
  }

  /** Decodes only every n-th pixel of a large image, so it never holds the full picture in memory. */
  private static Optional<BufferedImage> decode(ImageReader reader, int width, int height) throws IOException {
    ImageReadParam param = reader.getDefaultReadParam();
    int step = Math.max(1, Math.min(width, height) / (2 * SIZE));
    param.setSourceSubsampling(step, step, 0, 0);
    return Optional.ofNullable(reader.read(0, param));
  }

  private static BufferedImage resized(BufferedImage image) {
    double scale = Math.min(1.0, (double) SIZE / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage result = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = result.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return result;
  }

  /** A short stable file name from the original's address (two images never share one). */
  private static String name(String href) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(href.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 10) + ".png";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
