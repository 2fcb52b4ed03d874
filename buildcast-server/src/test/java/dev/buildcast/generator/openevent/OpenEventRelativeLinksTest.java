package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The site works opened from disk (file://): every internal link and image is relative, points at
 * a file that exists, and every #fragment names an element on its page. Also checks the
 * accessibility basics every page must have.
 */
class OpenEventRelativeLinksTest {

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"kebab", "snake"})
  void generate_everyPage_hasOnlyRelativeInternalLinksThatResolve(String schema) throws Exception {
    JobRun run = JobRun.of(temp, schema.equals("kebab") ? Fixtures.kebab() : Fixtures.snake());

    List<String> broken = new ArrayList<>();
    for (Path page : pages(run.site())) {
      Document document = parse(page);
      for (Element element : document.select("[href], [src]")) {
        String target = element.hasAttr("href") ? element.attr("href") : element.attr("src");
        if (target.startsWith("https://") || target.startsWith("http://") || target.startsWith("mailto:")) continue;
        String where = run.site().relativize(page) + " -> " + target;
        if (target.startsWith("/") || target.contains("://")) {
          broken.add("not relative: " + where);
          continue;
        }
        URI uri = URI.create(target);
        Path file = uri.getPath().isEmpty() ? page : page.getParent().resolve(uri.getPath()).normalize();
        if (!Files.isRegularFile(file) || !file.startsWith(run.site())) {
          broken.add("missing file: " + where);
        } else if (uri.getFragment() != null && parse(file).getElementById(uri.getFragment()) == null) {
          broken.add("missing fragment: " + where);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kebab", "snake"})
  void generate_everyPage_hasLangLandmarksOneH1AndAltOnEveryImage(String schema) throws Exception {
    JobRun run = JobRun.of(temp, schema.equals("kebab") ? Fixtures.kebab() : Fixtures.snake());

    for (Path page : pages(run.site())) {
      Document document = parse(page);
      String name = run.site().relativize(page).toString();
      assertThat(document.selectFirst("html").attr("lang")).as(name).isEqualTo("en");
      assertThat(document.select("header, nav, main, footer")).as(name).hasSizeGreaterThanOrEqualTo(4);
      assertThat(document.select("h1")).as(name).hasSize(1);
      assertThat(document.select("img:not([alt])")).as(name).isEmpty();
      assertThat(document.select("meta[name=viewport]")).as(name).hasSize(1);
    }
  }

  private static List<Path> pages(Path site) throws Exception {
    try (Stream<Path> files = Files.walk(site)) {
      return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
  }

  private static Document parse(Path page) throws Exception {
    return Jsoup.parse(Files.readString(page, StandardCharsets.UTF_8));
  }
}
