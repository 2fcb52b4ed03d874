package dev.buildcast.generator.openevent;

/**
 * A sponsor.
 *
 * @param level the export's level number (higher levels are listed first), 0 when absent
 * @param type the level's name ("Gold Sponsor"), which groups sponsors on the page
 * @param url an http(s) address, or {@code null}
 */
public record Sponsor(
    String id, String name, int level, String type, String url, SiteMedia logo, String descriptionHtml) {}
