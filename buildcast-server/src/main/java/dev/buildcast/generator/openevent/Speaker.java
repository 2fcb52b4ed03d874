package dev.buildcast.generator.openevent;

import java.util.List;

/**
 * A speaker. Optional values are {@code null}; biographies are sanitised HTML.
 *
 * @param website an http(s) address, or {@code null}
 * @param profiles the speaker's pages elsewhere (website, Twitter, GitHub, LinkedIn, Facebook), each
 *     an http(s) address, in that order
 * @param featured whether the organisers marked the speaker to be shown on the home page
 */
public record Speaker(
    String id,
    String name,
    String organisation,
    String position,
    String country,
    SiteMedia photo,
    String shortBiographyHtml,
    String longBiographyHtml,
    String website,
    List<WebLink> profiles,
    boolean featured) {

  public Speaker {
    profiles = List.copyOf(profiles);
  }

  /** Up to two letters standing in for a missing photo: "Ada Lovelace" is "AL". */
  public String initials() {
    StringBuilder letters = new StringBuilder();
    for (String word : name.strip().split("\\s+")) {
      if (word.isEmpty() || letters.codePointCount(0, letters.length()) >= 2) continue;
      letters.appendCodePoint(Character.toUpperCase(word.codePointAt(0)));
    }
    return letters.toString();
  }
}
