package dev.buildcast.generator.docs;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Heading;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;

/**
 * The client-side search index: each page's title, site path, headings and the start of its text.
 * It is written as a script ({@code assets/search-index.js} setting {@code window.docsSearchIndex})
 * rather than a JSON file, because a page opened from {@code file://} may load a script but may not
 * fetch a file.
 */
final class SearchIndex {

  /** How much of a page's text is indexed: enough to find a page by its words, small for 500 pages. */
  static final int TEXT_CHARS = 4000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final ArrayNode pages = JSON.createArrayNode();

  void add(Page page) {
    ObjectNode entry = pages.addObject();
    entry.put("t", page.title);
    entry.put("u", page.href);
    ArrayNode headings = entry.putArray("h");
    StringBuilder text = new StringBuilder();
    page.document.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        headings.add(PageReader.textOf(heading).replaceFirst("#$", "").strip());
      }

      @Override
      public void visit(Text t) {
        append(t.getLiteral());
      }

      @Override
      public void visit(Code code) {
        append(code.getLiteral());
      }

      @Override
      public void visit(FencedCodeBlock code) {
        append(code.getLiteral());
      }

      @Override
      public void visit(IndentedCodeBlock code) {
        append(code.getLiteral());
      }

      @Override
      public void visit(SoftLineBreak lineBreak) {
        append(" ");
      }

      @Override
      public void visit(HardLineBreak lineBreak) {
        append(" ");
      }

      @Override
      public void visit(Paragraph paragraph) {
        visitChildren(paragraph);
        append(" ");
      }

      private void append(String literal) {
        if (text.length() < TEXT_CHARS) text.append(literal, 0, Math.min(literal.length(), TEXT_CHARS - text.length()));
      }
    });
    entry.put("x", text.toString().replaceAll("\\s+", " ").strip());
  }

  void write(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    String script = "window.docsSearchIndex = " + JSON.writeValueAsString(pages) + ";\n";
    Files.writeString(file, script, StandardCharsets.UTF_8);
  }
}
