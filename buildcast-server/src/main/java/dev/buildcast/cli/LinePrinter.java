package dev.buildcast.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/**
 * Prints log lines for a person at a terminal: a colour per level, steps ({@code group}) as
 * headings with their lines indented until {@code endgroup}. Without colour (not a terminal,
 * {@code NO_COLOR}, {@code --no-color}) the same layout with a level prefix for warnings and
 * errors, so the output still reads well in a CI log or a file.
 *
 * <p>Remembers the last seq printed, so a follow that resumes starts after it.
 */
final class LinePrinter {

  private static final String RESET = "\u001b[0m";
  private static final String BOLD_BLUE = "\u001b[1;34m";
  private static final String CYAN = "\u001b[36m";
  private static final String YELLOW = "\u001b[33m";
  private static final String RED = "\u001b[31m";
  private static final String DIM = "\u001b[2m";

  private final PrintStream out;
  private final boolean colour;
  private boolean inStep;
  private long lastSeq;

  LinePrinter(PrintStream out, boolean colour) {
    this.out = out;
    this.colour = colour;
  }

  /** Prints one {@code {seq, ts, level, text}} line, unless it was printed already. */
  synchronized void print(JsonNode line) {
    long seq = line.path("seq").asLong();
    if (seq <= lastSeq) return;
    lastSeq = seq;
    String level = line.path("level").asText();
    String text = line.path("text").asText();
    String indent = inStep ? "  " : "";
    switch (level) {
      case "group" -> {
        inStep = true;
        out.println(paint(BOLD_BLUE, "▶ " + text));
      }
      case "endgroup" -> inStep = false;
      case "error" -> out.println(indent + paint(RED, colour ? text : "error: " + text));
      case "warning" -> out.println(indent + paint(YELLOW, colour ? text : "warning: " + text));
      case "notice" -> out.println(indent + paint(CYAN, text));
      case "system" -> out.println(paint(DIM, text));
      default -> out.println(indent + text);
    }
    out.flush();
  }

  PrintStream out() {
    return out;
  }

  synchronized long lastSeq() {
    return lastSeq;
  }

  String paint(String code, String text) {
    return colour ? code + text + RESET : text;
  }

  String bold(String text) {
    return paint("\u001b[1m", text);
  }
}
