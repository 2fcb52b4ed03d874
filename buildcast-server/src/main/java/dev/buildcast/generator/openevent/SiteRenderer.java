package dev.buildcast.generator.openevent;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the site's pages from {@link EventData} with Pebble templates, plus its stylesheet.
 * Every link is relative ({@code root} is "" on top-level pages and "../" one folder down), so the
 * site works opened from disk as well as served. Templates escape every value by default; only
 * HTML that went through {@link HtmlSanitiser} is printed raw.
 */
final class SiteRenderer {

  private static final String TEMPLATES = "dev/buildcast/generator/openevent/templates/";
  private static final String STYLESHEET = "/dev/buildcast/generator/openevent/style.css";

  /** The engine is thread-safe and caches compiled templates, so all jobs share one. */
  private static final PebbleEngine ENGINE = createEngine();

  /** A link in the site's main navigation. */
  record NavLink(String href, String label) {}

  /** Sessions of one track, for the tracks page. */
  record TrackSessions(Track track, List<Session> sessions) {}

  /** Sponsors of one level, for the sponsors page. */
  record SponsorLevel(String name, List<Sponsor> sponsors) {}

  private static final List<NavLink> NAV =
      List.of(
          new NavLink("index.html", "Home"),
          new NavLink("schedule.html", "Schedule"),
          new NavLink("speakers.html", "Speakers"),
          new NavLink("tracks.html", "Tracks"),
          new NavLink("rooms.html", "Rooms"),
          new NavLink("sponsors.html", "Sponsors"));

  private final Path siteDir;
  private final String language;
  private final LogSink log;

  SiteRenderer(Path siteDir, String language, LogSink log) {
    this.siteDir = siteDir;
    this.language = language;
    this.log = log;
  }

  /** The number of pages the site will have, for progress. */
  static int pageCount(EventData data) {
    return 6 + data.sessions().size() + data.speakers().size();
  }

  /** @return the number of pages written */
  int render(EventData data, EventClock clock, int fromPercent, int toPercent)
      throws IOException, InterruptedException {
    ProgressRange progress = new ProgressRange(log, fromPercent, toPercent, pageCount(data));
    writeStylesheet();
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
    shared.put("nav", NAV);
    shared.put("speakerNames", speakerNames);
    shared.put("showDay", true);
    shared.put("showRoom", true);

    int pages = 0;
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("sessions", data.sessions().size());
    counts.put("speakers", data.speakers().size());
    counts.put("tracks", data.tracks().size());
    counts.put("rooms", data.rooms().size());
    counts.put("sponsors", data.sponsors().size());
    pages += page("home", "index.html", shared, Map.of("counts", counts), progress);

    Schedule schedule = Schedule.of(data.sessions(), clock);
    pages += page("schedule", "schedule.html", shared,
        Map.of("days", schedule.days(), "unscheduled", schedule.unscheduled()), progress);
    pages += page("speakers", "speakers.html", shared, Map.of("speakers", data.speakers()), progress);

    List<TrackSessions> tracks = new ArrayList<>();
    for (Track track : data.tracks()) tracks.add(new TrackSessions(track, data.sessionsIn(track)));
    pages += page("tracks", "tracks.html", shared, Map.of("tracks", tracks), progress);

    List<Schedule.RoomSessions> rooms = new ArrayList<>();
    for (Room room : data.rooms()) rooms.add(new Schedule.RoomSessions(room, data.sessionsIn(room)));
    pages += page("rooms", "rooms.html", shared, Map.of("rooms", rooms), progress);

    List<SponsorLevel> levels = new ArrayList<>();
    data.sponsorsByLevel().forEach((name, list) -> levels.add(new SponsorLevel(name, list)));
    pages += page("sponsors", "sponsors.html", shared, Map.of("levels", levels), progress);

    for (Session session : data.sessions()) {
      List<Speaker> speakers = session.speakerIds().stream().map(speakersById::get).toList();
      pages += page("session", "sessions/" + session.id() + ".html", shared,
          Map.of("session", session, "speakers", speakers), progress);
    }
    Map<String, List<Session>> sessionsBySpeaker = data.sessionsBySpeaker();
    for (Speaker speaker : data.speakers()) {
      pages += page("speaker", "speakers/" + speaker.id() + ".html", shared,
          Map.of("speaker", speaker, "sessions", sessionsBySpeaker.getOrDefault(speaker.id(), List.of())),
          progress);
    }
    return pages;
  }

  private int page(String template, String path, Map<String, Object> shared, Map<String, Object> own,
      ProgressRange progress) throws IOException, InterruptedException {
    Cancellation.throwIfInterrupted();
    Map<String, Object> context = new HashMap<>(shared);
    context.putAll(own);
    context.put("page", path);
    context.put("root", path.contains("/") ? "../" : "");
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

  private void writeStylesheet() throws IOException {
    try (InputStream css = SiteRenderer.class.getResourceAsStream(STYLESHEET)) {
      if (css == null) throw new IOException("stylesheet " + STYLESHEET + " is missing from the build");
      Files.createDirectories(siteDir);
      Files.copy(css, siteDir.resolve("style.css"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    log.detail("wrote style.css");
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
