package dev.buildcast.generator.openevent;

import java.time.ZonedDateTime;
import java.util.List;

/**
 * A session (talk, workshop, break). Times are already in the event's zone; a session whose start
 * could not be read has a {@code null} start and shows up as unscheduled.
 *
 * @param speakerIds ids of speakers that exist in the export, in the export's order
 * @param track the session's track, or {@code null}
 * @param room the session's room, or {@code null}
 * @param slidesUrl an http(s) address, or {@code null}
 * @param videoUrl an http(s) address, or {@code null}
 * @param audio a recording copied from the zip's {@code audio/} or linked, or {@code null}
 */
public record Session(
    String id,
    String title,
    String subtitle,
    String sessionType,
    ZonedDateTime start,
    ZonedDateTime end,
    Track track,
    Room room,
    List<String> speakerIds,
    String shortAbstractHtml,
    String longAbstractHtml,
    String slidesUrl,
    String videoUrl,
    SiteMedia audio) {

  public Session {
    speakerIds = List.copyOf(speakerIds);
  }
}
