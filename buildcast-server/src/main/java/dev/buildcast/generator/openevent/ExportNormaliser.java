package dev.buildcast.generator.openevent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.buildcast.log.LogSink;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the export's JSON files, in either schema generation, into {@link EventData}. Broken
 * files fail the job; a broken record is reported to {@link DataProblems} and skipped, and a
 * broken field is reported and left out, so one bad record never costs the whole site.
 */
final class ExportNormaliser {

  /** Session states that are not public: their sessions stay off the site. */
  private static final Set<String> UNPUBLISHED_STATES = Set.of("draft", "pending", "rejected", "withdrawn", "canceled", "cancelled");

  private static final Pattern CSS_HEX_COLOR = Pattern.compile("#[0-9a-fA-F]{3,8}");

  private static final Pattern EMAIL = Pattern.compile("[^\\s@<>\"]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");

  private final ExportFiles files;
  private final LogSink log;
  private final DataProblems problems;
  private final HtmlSanitiser sanitiser = new HtmlSanitiser();
  private final MediaLocator media;
  private final SpeakerRecords speakerRecords;
  private EventClock clock;
  private int unpublished;

  ExportNormaliser(Path exportDir, LogSink log, DataProblems problems) {
    this(new ExportFiles(exportDir, log), exportDir, log, problems);
  }

  ExportNormaliser(ExportFiles files, Path exportDir, LogSink log, DataProblems problems) {
    this.files = files;
    this.log = log;
    this.problems = problems;
    this.media = new MediaLocator(exportDir, problems);
    this.speakerRecords = new SpeakerRecords(problems);
  }

  EventData read() throws BrokenExportException, IOException, InterruptedException {
    RecordFields eventRecord = new RecordFields(files.event());
    clock = clockOf(eventRecord);
    EventInfo event = event(eventRecord);
    Map<String, Track> tracks = tracks(files.list("tracks"));
    Map<String, Room> rooms = rooms(files.list("microlocations"));
    Map<String, List<String>> speakersBySession = new LinkedHashMap<>();
    Map<String, Speaker> speakers = speakers(files.list("speakers"), speakersBySession);
    List<Session> sessions = sessions(files.list("sessions"), tracks, rooms, speakers, speakersBySession);
    List<Sponsor> sponsors = sponsors(files.list("sponsors"));
    return new EventData(
        event,
        sessions,
        List.copyOf(speakers.values()),
        List.copyOf(tracks.values()),
        List.copyOf(rooms.values()),
        sponsors);
  }

  /** Sessions left off the site because their state says they are not public. */
  int unpublished() {
    return unpublished;
  }

  /** The event's clock; every later date is read with it, so it is settled first. */
  private EventClock clockOf(RecordFields event) {
    Optional<String> zoneName = event.text("timezone");
    Optional<ZoneId> zone = zoneName.flatMap(EventClock::zoneNamed);
    if (zone.isEmpty()) {
      log.notice("the event has " + zoneName.map(z -> "an unknown time zone \"" + z + "\"").orElse("no time zone")
          + ": showing all times in UTC");
    }
    return new EventClock(zone.orElse(ZoneOffset.UTC));
  }

  private EventInfo event(RecordFields event) {
    String name = event.text("name").orElseGet(() -> {
      problems.report("event: no name; calling it \"Event\"");
      return "Event";
    });
    return new EventInfo(
        event.id().orElse("event"),
        name,
        time(event, "starts-at", "event"),
        time(event, "ends-at", "event"),
        clock.zone(),
        event.text("location-name").orElse(null),
        sanitiser.clean(event.text("description").orElse(null)),
        media.image(event.text("logo-url"), "event logo").orElse(null),
        media.image(event.text("original-image-url"), "event background image").orElse(null),
        webAddress(event, "event-url", "event"),
        webAddress(event, "ticket-url", "event"),
        sanitiser.clean(event.text("code-of-conduct").orElse(null)),
        socialLinks(event),
        event.text("organizer-name").orElse(null),
        email(event),
        EventFooter.copyright(event),
        EventFooter.licence(event),
        mapUrl(event),
        time(event, "schedule-published-on", "event"));
  }

  private String email(RecordFields event) {
    Optional<String> email = event.text("email");
    if (email.isEmpty()) return null;
    if (EMAIL.matcher(email.get()).matches()) return email.get();
    problems.report("event: email \"" + email.get() + "\" is not an email address; left out");
    return null;
  }

  /** The venue on OpenStreetMap, when the event has a usable latitude and longitude. */
  private String mapUrl(RecordFields event) {
    Optional<Double> latitude = event.number("latitude");
    Optional<Double> longitude = event.number("longitude");
    if (latitude.isEmpty() || longitude.isEmpty()) return null;
    double lat = latitude.get();
    double lon = longitude.get();
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      problems.report("event: latitude " + lat + ", longitude " + lon + " is not a place on Earth; no map link");
      return null;
    }
    String mlat = String.format(Locale.ROOT, "%.5f", lat);
    String mlon = String.format(Locale.ROOT, "%.5f", lon);
    return "https://www.openstreetmap.org/?mlat=" + mlat + "&mlon=" + mlon + "#map=16/" + mlat + "/" + mlon;
  }

  private List<WebLink> socialLinks(RecordFields event) {
    List<WebLink> links = new ArrayList<>();
    for (RecordFields link : event.objects("social-links")) {
      if (!link.isObject()) continue;
      String url = webAddress(link, "link", "event social link " + link.describeId());
      if (url != null) {
        links.add(new WebLink(link.text("name").orElse(url), url));
      }
    }
    return links;
  }

  private Map<String, Track> tracks(ArrayNode list) throws InterruptedException {
    Map<String, Track> result = new LinkedHashMap<>();
    for (JsonNode node : list) {
      Cancellation.throwIfInterrupted();
      Optional<RecordFields> record = usable(node, "track", result.keySet());
      if (record.isEmpty()) continue;
      RecordFields track = record.get();
      String id = track.id().orElseThrow();
      Optional<String> name = required(track, "name", "track " + id);
      if (name.isEmpty()) continue;
      String color = colour(track, "color", "colour", id);
      String fontColor = colour(track, "font-color", "font colour", id);
      result.put(id, new Track(id, name.get(), color, fontColor, sanitiser.clean(track.text("description").orElse(null))));
    }
    return result;
  }

  private String colour(RecordFields track, String field, String what, String id) {
    String color = track.text(field).orElse(null);
    if (color != null && !CSS_HEX_COLOR.matcher(color).matches()) {
      problems.report("track " + id + ": " + what + " \"" + color + "\" is not a #hex colour; left out");
      return null;
    }
    return color;
  }

  private Map<String, Room> rooms(ArrayNode list) throws InterruptedException {
    Map<String, Room> result = new LinkedHashMap<>();
    for (JsonNode node : list) {
      Cancellation.throwIfInterrupted();
      Optional<RecordFields> record = usable(node, "room", result.keySet());
      if (record.isEmpty()) continue;
      RecordFields room = record.get();
      String id = room.id().orElseThrow();
      Optional<String> name = required(room, "name", "room " + id);
      if (name.isEmpty()) continue;
      result.put(id, new Room(id, name.get(), room.text("floor").orElse(null)));
    }
    return result;
  }

  /**
   * @param speakersBySession filled with the sessions each speaker record lists, which stand in for
   *     a session's own speaker list when the session has none
   */
  private Map<String, Speaker> speakers(ArrayNode list, Map<String, List<String>> speakersBySession)
      throws InterruptedException {
    Map<String, Speaker> result = new LinkedHashMap<>();
    for (JsonNode node : list) {
      Cancellation.throwIfInterrupted();
      Optional<RecordFields> record = usable(node, "speaker", result.keySet());
      if (record.isEmpty()) continue;
      RecordFields speaker = record.get();
      String id = speaker.id().orElseThrow();
      String owner = "speaker " + id;
      Optional<String> name = required(speaker, "name", owner);
      if (name.isEmpty()) continue;
      for (RecordFields session : speaker.objects("sessions")) {
        session.id().ifPresent(sessionId ->
            speakersBySession.computeIfAbsent(sessionId, s -> new ArrayList<>()).add(id));
      }
      result.put(id, new Speaker(
          id,
          name.get(),
          speaker.text("organisation").orElse(null),
          speaker.text("position").orElse(null),
          speaker.text("country").orElse(null),
          media.image(speaker.text("photo-url"), owner + " photo").orElse(null),
          sanitiser.clean(speaker.text("short-biography").orElse(null)),
          sanitiser.clean(speaker.text("long-biography").orElse(null)),
          webAddress(speaker, "website", owner),
          speakerRecords.profiles(speaker, owner),
          speaker.flag("is-featured")));
    }
    return result;
  }

  private List<Session> sessions(
      ArrayNode list, Map<String, Track> tracks, Map<String, Room> rooms, Map<String, Speaker> speakers,
      Map<String, List<String>> speakersBySession)
      throws InterruptedException {
    Map<String, Session> result = new LinkedHashMap<>();
    for (JsonNode node : list) {
      Cancellation.throwIfInterrupted();
      Optional<RecordFields> record = usable(node, "session", result.keySet());
      if (record.isEmpty()) continue;
      RecordFields session = record.get();
      String id = session.id().orElseThrow();
      String owner = "session " + id;
      Optional<String> state = session.text("state").map(s -> s.toLowerCase(Locale.ROOT));
      if (state.isPresent() && UNPUBLISHED_STATES.contains(state.get())) {
        unpublished++;
        log.detail(owner + " left out: its state is \"" + state.get() + "\"");
        continue;
      }
      Optional<String> title = required(session, "title", owner);
      if (title.isEmpty()) continue;
      ZonedDateTime start = time(session, "starts-at", owner);
      ZonedDateTime end = time(session, "ends-at", owner);
      if (start != null && end != null && end.isBefore(start)) {
        problems.report(owner + ": ends before it starts; end time left out");
        end = null;
      }
      result.put(id, new Session(
          id,
          title.get(),
          session.text("subtitle").orElse(null),
          session.object("session-type").flatMap(t -> t.text("name")).orElse(null),
          start,
          end,
          reference(session, "track", tracks, owner),
          reference(session, "microlocation", rooms, owner),
          speakerIds(session, speakers, speakersBySession.getOrDefault(id, List.of()), owner),
          sanitiser.clean(session.text("short-abstract").orElse(null)),
          sanitiser.clean(session.text("long-abstract").orElse(null)),
          webAddress(session, "slides-url", owner),
          webAddress(session, "video-url", owner),
          media.audio(session.text("audio-url"), owner + " audio").orElse(null)));
    }
    return List.copyOf(result.values());
  }

  private List<Sponsor> sponsors(ArrayNode list) throws InterruptedException {
    Map<String, Sponsor> result = new LinkedHashMap<>();
    for (JsonNode node : list) {
      Cancellation.throwIfInterrupted();
      Optional<RecordFields> record = usable(node, "sponsor", result.keySet());
      if (record.isEmpty()) continue;
      RecordFields sponsor = record.get();
      String id = sponsor.id().orElseThrow();
      String owner = "sponsor " + id;
      Optional<String> name = required(sponsor, "name", owner);
      if (name.isEmpty()) continue;
      int level = 0;
      Optional<String> levelText = sponsor.text("level");
      if (levelText.isPresent()) {
        try {
          level = Integer.parseInt(levelText.get());
        } catch (NumberFormatException e) {
          problems.report(owner + ": level \"" + levelText.get() + "\" is not a number; listed last");
        }
      }
      result.put(id, new Sponsor(
          id,
          name.get(),
          level,
          sponsor.text("type").orElse("Sponsors"),
          webAddress(sponsor, "url", owner),
          media.image(sponsor.text("logo-url"), owner + " logo").orElse(null),
          sanitiser.clean(sponsor.text("description").orElse(null))));
    }
    return List.copyOf(result.values());
  }

  /** The record when it is an object with a usable, new id; otherwise reported and empty. */
  private Optional<RecordFields> usable(JsonNode node, String kind, Set<String> seenIds) {
    RecordFields record = new RecordFields(node);
    if (!record.isObject()) {
      problems.report("a " + kind + " entry is not a JSON object; skipped");
      return Optional.empty();
    }
    Optional<String> id = record.id();
    if (id.isEmpty()) {
      problems.report(kind + " " + record.describeId() + ": missing or unusable id; skipped");
      return Optional.empty();
    }
    if (seenIds.contains(id.get())) {
      problems.report(kind + " " + id.get() + ": the id appears twice; the second one is skipped");
      return Optional.empty();
    }
    return Optional.of(record);
  }

  private Optional<String> required(RecordFields record, String field, String owner) {
    Optional<String> value = record.text(field);
    if (value.isEmpty()) {
      problems.report(owner + ": no " + field + "; skipped");
    }
    return value;
  }

  private ZonedDateTime time(RecordFields record, String field, String owner) {
    Optional<String> text = record.text(field);
    if (text.isEmpty()) return null;
    Optional<ZonedDateTime> parsed = clock.parse(text.get());
    if (parsed.isEmpty()) {
      problems.report(owner + ": " + field + " \"" + text.get() + "\" is not a date and time; left out");
    }
    return parsed.orElse(null);
  }

  /** A session's track or room: the export embeds {id, name}; the id must name a known record. */
  private <T> T reference(RecordFields session, String field, Map<String, T> known, String owner) {
    Optional<RecordFields> ref = session.object(field);
    if (ref.isEmpty()) return null;
    Optional<String> id = ref.get().id();
    T target = id.map(known::get).orElse(null);
    if (target == null) {
      problems.report(owner + ": points at " + field + " " + ref.get().describeId() + ", which is not in the export; left out");
    }
    return target;
  }

  private List<String> speakerIds(
      RecordFields session, Map<String, Speaker> speakers, List<String> listedBySpeakers, String owner) {
    if (session.objects("speakers").isEmpty()) {
      // why: some exports keep the link only on the speaker's side ("sessions" of a speaker)
      return List.copyOf(listedBySpeakers);
    }
    List<String> ids = new ArrayList<>();
    for (RecordFields ref : session.objects("speakers")) {
      Optional<String> id = ref.isObject() ? ref.id() : Optional.empty();
      if (id.isPresent() && speakers.containsKey(id.get())) {
        if (!ids.contains(id.get())) ids.add(id.get());
        speakerRecords.checkCreditedName(ref, speakers.get(id.get()), owner);
      } else {
        problems.report(owner + ": points at speaker " + (ref.isObject() ? ref.describeId() : "(not an object)")
            + ", who is not in the export; left out");
      }
    }
    return ids;
  }

  /** An http(s) address for a link, or {@code null}; anything else would be a script vector. */
  private String webAddress(RecordFields record, String field, String owner) {
    Optional<String> value = record.text(field);
    if (value.isEmpty()) return null;
    if (WebAddress.of(value.get()).isPresent()) return value.get();
    problems.report(owner + ": " + field + " \"" + value.get() + "\" is not an http(s) address; left out");
    return null;
  }
}
