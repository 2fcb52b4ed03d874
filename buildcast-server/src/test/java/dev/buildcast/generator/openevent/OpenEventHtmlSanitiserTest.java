package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTML from the export keeps its formatting and loses everything that could run code. */
class OpenEventHtmlSanitiserTest {

  private final HtmlSanitiser sanitiser = new HtmlSanitiser();

  @TempDir Path temp;

  @Test
  void clean_scriptElement_isDroppedWithItsContent() {
    assertThat(sanitiser.clean("<p>Hi<script>alert('x')</script></p>")).isEqualTo("<p>Hi</p>");
  }

  @Test
  void clean_eventHandlerAttributes_areDropped() {
    String clean = sanitiser.clean("<p onclick=\"steal()\">Bio <img src=x onerror=alert(1)></p>");

    assertThat(clean).isEqualTo("<p>Bio </p>").doesNotContain("onerror", "onclick");
  }

  @Test
  void clean_links_keepHttpHttpsMailtoAndDropJavascript() {
    String clean = sanitiser.clean("<a href=\"javascript:alert(1)\">a</a><a href=\"https://x.example/\">b</a>"
        + "<a href=\"mailto:me@x.example\">c</a><a href=\"http://y.example/\">d</a>");

    assertThat(clean)
        .doesNotContain("javascript")
        .contains("<a href=\"https://x.example/\" rel=\"nofollow noopener\">b</a>")
        .contains("href=\"mailto:me@x.example\"", "href=\"http://y.example/\"");
  }

  @Test
  void clean_formatting_isKept() {
    assertThat(sanitiser.clean("<p><b>b</b><i>i</i><em>e</em><strong>s</strong><br></p><ul><li>x</li></ul><ol><li>y</li></ol>"))
        .isEqualTo("<p><b>b</b><i>i</i><em>e</em><strong>s</strong><br></p><ul><li>x</li></ul><ol><li>y</li></ol>");
  }

  @Test
  void clean_headings_becomeBoldParagraphsSoPageHeadingOrderHolds() {
    assertThat(sanitiser.clean("<h1>Big</h1><p>text</p>")).isEqualTo("<p><strong>Big</strong></p><p>text</p>");
  }

  @Test
  void clean_styleAndIframe_areDropped() {
    assertThat(sanitiser.clean("<style>body{}</style><iframe src=\"https://evil\"></iframe><span style=\"color:red\">t</span>"))
        .isEqualTo("t");
  }

  @Test
  void clean_plainText_isEscapedIntoAParagraph() {
    assertThat(sanitiser.clean("Fish > chips \"always\"")).isEqualTo("<p>Fish &gt; chips &quot;always&quot;</p>");
  }

  @Test
  void clean_blankOrMarkupOnly_isNull() {
    assertThat(sanitiser.clean("  ")).isNull();
    assertThat(sanitiser.clean("<p></p><p> </p>")).isNull();
    assertThat(sanitiser.clean(null)).isNull();
  }

  @Test
  void generate_hostileExportHtml_pagesHaveNoScriptsOrHandlers() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.kebab());

    for (String page : new String[] {"index.html", "speakers/100.html", "sessions/1000.html"}) {
      Document document = run.page(page);
      assertThat(document.select("script:not([src=site.js]):not([src=../site.js])")).as(page).isEmpty();
      assertThat(document.select("[onerror], [onclick]")).as(page).isEmpty();
      assertThat(document.select("a[href^=javascript]")).as(page).isEmpty();
    }
    assertThat(run.html("speakers/100.html")).doesNotContain("onerror", "steal()");
    assertThat(run.page("index.html").select(".prose b").text()).isEqualTo("everyone");
  }

  @Test
  void generate_plainTextFields_areEscapedNotInterpreted() throws Exception {
    JobRun run = JobRun.of(temp, Fixtures.snake()
        .json("microlocations", "[{\"id\": 690, \"name\": \"<script>alert(1)</script>Hall\"}]"));

    Document rooms = run.page("rooms.html");
    assertThat(rooms.select("script:not([src=site.js])")).isEmpty();
    assertThat(rooms.selectFirst("h2").text()).isEqualTo("<script>alert(1)</script>Hall");
  }
}
