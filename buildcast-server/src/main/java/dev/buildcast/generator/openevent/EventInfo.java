package dev.buildcast.generator.openevent;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * The event itself. Optional values are {@code null} when the export lacks them or they were
 * broken, which the templates test for directly.
 *
 * @param id the export's event id, which makes the calendar entries' UIDs unique
 * @param zone the time zone every date of the site is shown in
 * @param descriptionHtml sanitised HTML
 * @param codeOfConductHtml sanitised HTML
 * @param socialLinks the event's pages elsewhere, in the export's order
 * @param organiser the organiser's name
 * @param email a contact address (checked to look like one)
 * @param copyright "© 2017 FOSSASIA", built from the export's copyright record
 * @param licence the licence of the event's content, linked when it has an http(s) address
 * @param mapUrl an OpenStreetMap address for the venue's latitude and longitude
 * @param publishedAt when the schedule was published; the calendar files' timestamp, so that
 *     building the same export twice gives the same files
 */
public record EventInfo(
    String id,
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
    List<WebLink> socialLinks,
    String organiser,
    String email,
    String copyright,
    WebLink licence,
    String mapUrl,
    ZonedDateTime publishedAt) {

  public EventInfo {
    socialLinks = List.copyOf(socialLinks);
  }
}
