package dev.buildcast.generator.openevent;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The event itself. Optional values are {@code null} when the export lacks them or they were
 * broken, which the templates test for directly.
 *
 * @param zone the time zone every date of the site is shown in
 * @param descriptionHtml sanitised HTML
 * @param codeOfConductHtml sanitised HTML
 * @param socialLinks the event's pages elsewhere, in the export's order
 */
public record EventInfo(
    String name,
    ZonedDateTime start,
    ZonedDateTime end,
    ZoneId zone,
    String locationName,
    String descriptionHtml,
    SiteMedia logo,
    SiteMedia background,
    String eventUrl,
    String ticketUrl,
    String codeOfConductHtml,
    List<WebLink> socialLinks) {

  public EventInfo {
    socialLinks = List.copyOf(socialLinks);
  }
}
