package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.generator.JobContext;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The language parameter translates every label and formats dates; unsupported ones are refused at submit. */
class OpenEventLanguagesTest {

  @TempDir Path temp;

  @ParameterizedTest
  @ValueSource(strings = {"de", "fr", "es", "vi", "zh", "id"})
  void labels_everyLanguage_hasExactlyTheEnglishKeysAndPatternsThatFormat(String language) throws Exception {
    Properties english = load("en");
    Properties other = load(language);

    assertThat(other.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(english.stringPropertyNames());
    Labels labels = Labels.forTag(language).orElseThrow();
    long translated = 0;
    for (String key : english.stringPropertyNames()) {
      assertThat(labels.format(key, 3, "x")).as(key).isNotBlank();
      if (!other.getProperty(key).equals(english.getProperty(key))) translated++;
    }
    // a few words are the same in both languages ("Video", "Sessions", "Website"); the rest must differ
    assertThat(translated).isGreaterThan(english.size() * 9L / 10);
  }

  @Test
  void generate_german_translatesLabelsCountsAndDates() throws Exception {
    Path site = generate("de");

    Document home = page(site, "index.html");
    assertThat(home.selectFirst("html").attr("lang")).isEqualTo("de");
    assertThat(home.select("header nav a").eachText()).startsWith("Start", "Programm");
    assertThat(home.select(".cards li").eachText()).contains("Themen 1 Thema", "Räume 1 Raum");
    assertThat(home.text()).contains("Donnerstag, 10. Mai 2018").doesNotContain("Thursday", "Schedule");
    assertThat(page(site, "sessions/4680.html").select("dl.facts dt").eachText()).contains("Wann", "Raum", "Thema");
    assertThat(page(site, "schedule.html").select("h2").eachText()).contains("Donnerstag, 10. Mai 2018");
  }

  @Test
  void generate_chineseWithRegion_writesChineseDatesAndKeepsTheTagInLang() throws Exception {
    Path site = generate("zh-CN");

    Document home = page(site, "index.html");
    assertThat(home.selectFirst("html").attr("lang")).isEqualTo("zh-CN");
    assertThat(home.text()).contains("2018年5月10日星期四", "首页");
  }

  @Test
  void paramProblem_unsupportedLanguage_isRefusedWithTheOfferedOnes() {
    OpenEventSiteGenerator generator = new OpenEventSiteGenerator();

    assertThat(generator.paramProblem(Map.of("language", "pt"), true)).hasValueSatisfying(message ->
        assertThat(message).startsWith("Parameter language \"pt\" is not a language").contains("en, de, fr, es, vi, zh, id"));
    assertThat(generator.paramProblem(Map.of("language", "\"><script>"), true)).isPresent();
    assertThat(generator.paramProblem(Map.of("language", "vi"), true)).isEmpty();
    assertThat(generator.paramProblem(Map.of("language", "es-MX"), true)).isEmpty();
    assertThat(generator.paramProblem(Map.of(), true)).isEmpty();
  }

  @Test
  void paramProblem_siteUrlThatIsNoPublishedFolder_isRefusedSayingWhatToGive() {
    OpenEventSiteGenerator generator = new OpenEventSiteGenerator();

    assertThat(generator.paramProblem(Map.of("siteUrl", "javascript:alert(1)"), true)).hasValueSatisfying(message ->
        assertThat(message).startsWith("Parameter siteUrl \"javascript:alert(1)\" is not an http(s) address")
            .contains("such as https://events.example.org/summit/"));
    assertThat(generator.paramProblem(Map.of("siteUrl", "https://user:pw@events.example.org/"), true))
        .hasValueSatisfying(message -> assertThat(message).contains("user name, query or fragment"));
    assertThat(generator.paramProblem(Map.of("siteUrl", "https://events.example.org/?a=1"), true)).isPresent();
    assertThat(generator.paramProblem(Map.of("siteUrl", "https://events.example.org/" + "a".repeat(600)), true))
        .hasValueSatisfying(message -> assertThat(message).contains("longer than 512 characters"));
    assertThat(generator.paramProblem(Map.of("siteUrl", "https://events.example.org/summit"), true)).isEmpty();
    assertThat(generator.paramProblem(Map.of("language", "vi", "siteUrl", "http://localhost:8080/"), true)).isEmpty();
  }

  @Test
  void run_siteUrlNotChecked_failsWithTheSameSentence() throws Exception {
    Path zip = Fixtures.snake().writeTo(temp.resolve("export.zip"));
    RecordingLogSink log = new RecordingLogSink();
    JobContext context = new JobContext("j", Files.createDirectories(temp.resolve("w")),
        Files.createDirectories(temp.resolve("o")), Optional.of(zip), Map.of("siteUrl", "ftp://x.example/"), log, "n1");

    assertThat(new OpenEventSiteGenerator().run(context)).isEqualTo(1);
    assertThat(log.basic()).anySatisfy(line -> assertThat(line).startsWith("error: parameter siteUrl \"ftp://x.example/\""));
  }

  private Path generate(String language) throws Exception {
    Path zip = Fixtures.snake().writeTo(temp.resolve("export.zip"));
    Path work = Files.createDirectories(temp.resolve("w"));
    JobContext context = new JobContext("j", work, Files.createDirectories(temp.resolve("o")), Optional.of(zip),
        Map.of("language", language), new RecordingLogSink(), "n1");
    assertThat(new OpenEventSiteGenerator().run(context)).isZero();
    return work.resolve("site");
  }

  private static Document page(Path site, String path) throws Exception {
    return Jsoup.parse(Files.readString(site.resolve(path), StandardCharsets.UTF_8));
  }

  private static Properties load(String language) throws Exception {
    Properties properties = new Properties();
    try (InputStream in = Labels.class.getResourceAsStream("labels_" + language + ".properties")) {
      properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
    return properties;
  }
}
