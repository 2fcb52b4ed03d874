package dev.buildcast.generator.openevent;

import java.util.List;

/**
 * The event's favicon, drawn rather than downloaded: its initials on a disc of its first track's
 * colour (or a colour picked from its name), as a small SVG. Every site then has its own icon and
 * browsers find one instead of asking for a {@code favicon.ico} that is not there.
 */
final class SiteIcon {

  static final String FILE = "favicon.svg";

  private SiteIcon() {}

  static String svg(EventData data) {
    String colour = data.tracks().stream().map(Track::color).filter(c -> c != null).findFirst()
        .orElseGet(() -> hueColour(data.event().name()));
    String initials = initials(data.event().name());
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">"
        + "<circle cx=\"32\" cy=\"32\" r=\"32\" fill=\"" + colour + "\"/>"
        + "<text x=\"32\" y=\"42\" text-anchor=\"middle\" font-family=\"system-ui,sans-serif\" font-size=\""
        + (initials.codePointCount(0, initials.length()) > 1 ? 28 : 34) + "\" font-weight=\"700\" fill=\"#fff\""
        + " stroke=\"#000\" stroke-opacity=\".35\" stroke-width=\"1\">" + xml(initials) + "</text></svg>\n";
  }

  /** Up to two letters or digits: "FOSSASIA Summit 2017" is "FS". */
  static String initials(String name) {
    StringBuilder letters = new StringBuilder();
    for (String word : name.strip().split("\\s+")) {
      if (word.isEmpty() || letters.codePointCount(0, letters.length()) >= 2) continue;
      int first = word.codePointAt(0);
      if (Character.isLetterOrDigit(first)) letters.appendCodePoint(Character.toUpperCase(first));
    }
    return letters.isEmpty() ? "E" : letters.toString();
  }

  /** Dark enough for white initials. */
  private static final List<String> PALETTE =
      List.of("#0b5cad", "#8a2be2", "#b03a2e", "#1e7d4f", "#a0522d", "#2f4f8f", "#8b1a5c", "#3d5c1e");

  /** A colour from the name, the same on every run (String.hashCode is specified). */
  private static String hueColour(String name) {
    return PALETTE.get(Math.floorMod(name.hashCode(), PALETTE.size()));
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
