package dev.buildcast.generator.docs;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Copies the theme (stylesheet, scripts and the bundled highlight.js with its licence) from the
 * jar into the site's {@code assets/} folder.
 */
final class SiteAssets {

  static final String FOLDER = "assets";
  private static final String BASE = "/dev/buildcast/generator/docs/theme/";
  private static final Map<String, String> FILES = Map.of(
      "site.css", "site.css",
      "site.js", "site.js",
      "theme.js", "theme.js",
      "vendor/highlight.min.js", "vendor/highlight.min.js",
      "vendor/LICENSE", "vendor/highlight.js-LICENSE.txt");

  private SiteAssets() {}

  static void copyInto(Path siteDir) throws IOException {
    Path assets = siteDir.resolve(FOLDER);
    for (Map.Entry<String, String> file : FILES.entrySet()) {
      Path target = assets.resolve(file.getValue());
      Files.createDirectories(target.getParent());
      try (InputStream in = SiteAssets.class.getResourceAsStream(BASE + file.getKey())) {
        if (in == null) throw new IOException("the docs-site theme file " + file.getKey() + " is missing from the server's jar; rebuild it");
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
