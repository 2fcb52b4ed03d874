package dev.buildcast.generator.openevent;

import dev.buildcast.generator.ProgressRange;
import dev.buildcast.log.LogSink;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the site's pages from {@link EventData} with Pebble templates, plus its stylesheet,
 * script, icon and calendar files. Every link is relative ({@code root} is "" on top-level pages
 * and "../" one folder down), so the site works opened from disk as well as served. Templates
 * escape every value by default; only HTML that went through {@link HtmlSanitiser} is printed raw.
 * Every label comes from {@link Labels}, in the site's language.
 */
final class SiteRenderer {

  private static final String TEMPLATES = "dev/buildcast/generator/openevent/templates/";
  private static final String ASSETS = "/dev/buildcast/generator/openevent/";

  /** The engine is thread-safe and caches compiled templates, so all jobs share one. */
  private static final PebbleEngine ENGINE = createEngine();

  /** A link in the site's main navigation. */
  record NavLink(String href, String label) {}

  /** Sessions of one track, for the tracks page. */
  record TrackSessions(Track track, List<Session> sessions) {}

  /** Sponsors of one level, for the sponsors page. */
  record SponsorLevel(String name, List<Sponsor> sponsors) {}

  /** A day of the calendar grid page. */
  record GridDay(Schedule.Day day, CalendarGrid grid) {}

  /** A card on the home page: a list page and how many things it lists. */
  record Card(String href, String label, String count) {}

  private final Path siteDir;
  private final String language;
  private final Labels labels;
  private final SiteAddress address;
  private final LogSink log;

  /** @param address where the site will be published, or null when unknown */
  SiteRenderer(Path siteDir, String language, Labels labels, SiteAddress address, LogSink log) {
    this.siteDir = siteDir;
    this.language = language;
    this.labels = labels;
    this.address = address;
    this.log = log;
  }

  /** The number of pages the site will have, for progress. */
  static int pageCount(EventData data) {
    return 7 + data.sessions().size() + data.speakers().size();
  }

  /** @return the number of pages written */
  int render(EventData data, EventClock clock, Thumbnails.Result images, int fromPercent, int toPercent)
      throws IOException, InterruptedException {
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, pageCount(data));
    copyAsset("style.css");
    copyAsset("site.js");
    writeFile(SiteIcon.FILE, SiteIcon.svg(data));
    int calendars = new SiteCalendars(data, labels).writeAll(siteDir);
    log.detail("wrote " + calendars + " calendar files (" + SiteCalendars.SCHEDULE + ", " + SiteCalendars.FOLDER + ")");

    NameOrder names = new NameOrder(labels.locale());
    List<Speaker> speakers = data.speakersBy(names);
    Map<String, Speaker> speakersById = data.speakersById();
    Map<String, String> speakerNames = new HashMap<>();
    for (Session session : data.sessions()) {
      speakerNames.put(session.id(), session.speakerIds().stream()
          .map(id -> speakersById.get(id).name())
          .collect(Collectors.joining(", ")));
    }
    Map<String, Object> shared = new HashMap<>();
    shared.put("event", data.event());
    shared.put("clock", clock);
    shared.put("lang", language);
    shared.put("t", labels);
    shared.put("nav", nav(data));
    shared.put("speakerNames", speakerNames);
    shared.put("showDay", true);
    shared.put("showRoom", true);
    shared.put("showTrack", true);
    shared.put("description", description(data));
    shared.put("images", images);

    int pages = 0;
    pages += page("home", "index.html", shared, Map.of(
        "cards", cards(data), "featured", speakers.stream().filter(Speaker::featured).toList()), progress);

    Schedule schedule = Schedule.of(data.sessions(), clock);
    pages += page("schedule", "schedule.html", shared, Map.of(
        "days", schedule.days(), "unscheduled", schedule.unscheduled(),
        "tracks", data.tracks(), "rooms", data.rooms()), progress);
    List<GridDay> gridDays = new ArrayList<>();
    DataProblems overlapping = new DataProblems(log);
    for (Schedule.Day day : schedule.days()) {
      CalendarGrid grid = CalendarGrid.of(day.sessions(), data.rooms(), clock);
      for (CalendarGrid.Overlap overlap : grid.overlaps()) {
        overlapping.report("sessions " + overlap.first().id() + " and " + overlap.second().id() + " overlap in room "
            + overlap.room().name() + "; the calendar shows them side by side");
      }
      gridDays.add(new GridDay(day, grid));
    }
    overlapping.summarise("laying out the calendar");
    pages += page("calendar", "calendar.html", shared, Map.of("days", gridDays), progress);
    pages += page("speakers", "speakers.html", shared, Map.of("speakers", speakers), progress);

    List<TrackSessions> tracks = new ArrayList<>();
    for (Track track : data.tracks()) tracks.add(new TrackSessions(track, data.sessionsIn(track)));
    pages += page("tracks", "tracks.html", shared, Map.of("tracks", tracks), progress);

    List<Schedule.RoomSessions> rooms = new ArrayList<>();
    for (Room room : data.rooms()) rooms.add(new Schedule.RoomSessions(room, data.sessionsIn(room)));
    pages += page("rooms", "rooms.html", shared, Map.of("rooms", rooms), progress);

    List<SponsorLevel> levels = new ArrayList<>();
    data.sponsorsByLevel(names).forEach((name, list) -> levels.add(new SponsorLevel(name, list)));
    pages += page("sponsors", "sponsors.html", shared, Map.of("levels", levels), progress);

    for (Session session : data.sessions()) {
      List<Speaker> sessionSpeakers = session.speakerIds().stream().map(speakersById::get).toList();
      Map<String, Object> own = new HashMap<>();
      own.put("session", session);
      own.put("speakers", sessionSpeakers);
      own.put("video", VideoEmbed.of(session.videoUrl()).orElse(null));
      String path = "sessions/" + session.id() + ".html";
      own.put("share", ShareLinks.of(session.title(), address == null ? null : address.page(path), labels));
      pages += page("session", "sessions/" + session.id() + ".html", shared, own, progress);
    }
    Map<String, List<Session>> sessionsBySpeaker = data.sessionsBySpeaker();
    for (Speaker speaker : data.speakers()) {
      pages += page("speaker", "speakers/" + speaker.id() + ".html", shared,
          Map.of("speaker", speaker, "sessions", sessionsBySpeaker.getOrDefault(speaker.id(), List.of())),
          progress);
    }
    return pages;
  }

  /** The main navigation: list pages with nothing to list are left out. */
  private List<NavLink> nav(EventData data) {
    List<NavLink> nav = new ArrayList<>();
    nav.add(new NavLink("index.html", labels.text("nav.home")));
    nav.add(new NavLink("schedule.html", labels.text("nav.schedule")));
    if (!data.sessions().isEmpty()) nav.add(new NavLink("calendar.html", labels.text("nav.calendar")));
    if (!data.speakers().isEmpty()) nav.add(new NavLink("speakers.html", labels.text("nav.speakers")));
    if (!data.tracks().isEmpty()) nav.add(new NavLink("tracks.html", labels.text("nav.tracks")));
    if (!data.rooms().isEmpty()) nav.add(new NavLink("rooms.html", labels.text("nav.rooms")));
    if (!data.sponsors().isEmpty()) nav.add(new NavLink("sponsors.html", labels.text("nav.sponsors")));
    if (!data.sessions().isEmpty()) nav.add(new NavLink("schedule.html#mine", labels.text("nav.mine")));
    return nav;
  }

  /** The home page's cards, with a counted label each; empty lists get no card. */
  private List<Card> cards(EventData data) {
    List<Card> cards = new ArrayList<>();
    card(cards, "schedule.html", "nav.schedule", "count.sessions", data.sessions().size());
    card(cards, "speakers.html", "nav.speakers", "count.speakers", data.speakers().size());
    card(cards, "tracks.html", "nav.tracks", "count.tracks", data.tracks().size());
    card(cards, "rooms.html", "nav.rooms", "count.rooms", data.rooms().size());
    card(cards, "sponsors.html", "nav.sponsors", "count.sponsors", data.sponsors().size());
    return cards;
  }

  private void card(List<Card> cards, String href, String label, String countKey, int count) {
    if (count > 0) cards.add(new Card(href, labels.text(label), labels.format(countKey, count)));
  }

  /** The meta description: the event's name, dates and place, in one line. */
  private String description(EventData data) {
    EventInfo event = data.event();
    List<String> parts = new ArrayList<>();
    parts.add(event.name());
    if (event.start() != null) parts.add(new EventClock(event.zone(), labels).day(event.start()));
    if (event.locationName() != null) parts.add(event.locationName());
    parts.add(labels.format("count.sessions", data.sessions().size()));
    return String.join(" · ", parts);
  }

  private int page(String template, String path, Map<String, Object> shared, Map<String, Object> own,
      ProgressRange progress) throws IOException, InterruptedException {
    Cancellation.throwIfInterrupted();
    Map<String, Object> context = new HashMap<>(shared);
    context.putAll(own);
    context.put("page", path);
    context.put("root", path.contains("/") ? "../" : "");
    context.put("pageUrl", address == null ? null : address.page(path));
    Path file = siteDir.resolve(path);
    Files.createDirectories(file.getParent());
    PebbleTemplate compiled = ENGINE.getTemplate(template);
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      compiled.evaluate(out, context);
    }
    log.detail("wrote " + path);
    progress.advance();
    return 1;
  }

  private void copyAsset(String name) throws IOException {
    try (InputStream asset = SiteRenderer.class.getResourceAsStream(ASSETS + name)) {
      if (asset == null) throw new IOException(ASSETS + name + " is missing from the build");
      Files.createDirectories(siteDir);
      Files.copy(asset, siteDir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    log.detail("wrote " + name);
  }

  private void writeFile(String name, String content) throws IOException {
    Files.createDirectories(siteDir);
    Files.writeString(siteDir.resolve(name), content, StandardCharsets.UTF_8);
    log.detail("wrote " + name);
  }

  private static PebbleEngine createEngine() {
    ClasspathLoader loader = new ClasspathLoader(SiteRenderer.class.getClassLoader());
    loader.setPrefix(TEMPLATES);
    loader.setSuffix(".peb");
    return new PebbleEngine.Builder()
        .loader(loader)
        .autoEscaping(true)
        .strictVariables(true)
        .build();
  }
}
