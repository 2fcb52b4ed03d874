package dev.buildcast.generator.openevent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole event after normalisation: every record is valid and every reference points at a
 * record that exists. Sessions are in time order (unscheduled ones last), speakers by name.
 */
public record EventData(
    EventInfo event,
    List<Session> sessions,
    List<Speaker> speakers,
    List<Track> tracks,
    List<Room> rooms,
    List<Sponsor> sponsors) {

  /** Time order; unscheduled sessions last; ties by room, then title, so output is stable. */
  static final Comparator<Session> SESSION_ORDER =
      Comparator.comparing(Session::start, Comparator.nullsLast(Comparator.naturalOrder()))
          .thenComparing(s -> s.room() == null ? "" : s.room().name())
          .thenComparing(Session::title)
          .thenComparing(Session::id);

  public EventData {
    sessions = sessions.stream().sorted(SESSION_ORDER).toList();
    speakers =
        speakers.stream()
            .sorted(Comparator.comparing((Speaker s) -> s.name().toLowerCase(java.util.Locale.ROOT))
                .thenComparing(Speaker::id))
            .toList();
    tracks = List.copyOf(tracks);
    rooms = List.copyOf(rooms);
    sponsors = List.copyOf(sponsors);
  }

  /** Speakers by id, for resolving {@link Session#speakerIds()}; build it once per render. */
  public Map<String, Speaker> speakersById() {
    Map<String, Speaker> byId = new HashMap<>();
    for (Speaker speaker : speakers) byId.put(speaker.id(), speaker);
    return byId;
  }

  /** Each speaker's sessions in time order, computed once for all speaker pages. */
  public Map<String, List<Session>> sessionsBySpeaker() {
    Map<String, List<Session>> result = new HashMap<>();
    for (Session session : sessions) {
      for (String speakerId : session.speakerIds()) {
        result.computeIfAbsent(speakerId, id -> new ArrayList<>()).add(session);
      }
    }
    return result;
  }

  public List<Session> sessionsIn(Track track) {
    return sessions.stream().filter(s -> s.track() != null && s.track().id().equals(track.id())).toList();
  }

  public List<Session> sessionsIn(Room room) {
    return sessions.stream().filter(s -> s.room() != null && s.room().id().equals(room.id())).toList();
  }

  /** Speakers in the order of {@code names} (the site's language), ties by id. */
  public List<Speaker> speakersBy(Comparator<String> names) {
    return speakers.stream().sorted(Comparator.comparing(Speaker::name, names).thenComparing(Speaker::id)).toList();
  }

  /** Sponsors grouped by their level's name, highest level first; within a level by name. */
  public Map<String, List<Sponsor>> sponsorsByLevel() {
    return sponsorsByLevel(Comparator.naturalOrder());
  }

  /** Sponsors grouped by their level's name, highest level first; within a level in {@code names} order. */
  public Map<String, List<Sponsor>> sponsorsByLevel(Comparator<String> names) {
    Map<String, List<Sponsor>> result = new LinkedHashMap<>();
    sponsors.stream()
        .sorted(Comparator.comparingInt(Sponsor::level).reversed()
            .thenComparing(Sponsor::type)
            .thenComparing(Sponsor::name, names)
            .thenComparing(Sponsor::id))
        .forEach(s -> result.computeIfAbsent(s.type(), t -> new ArrayList<>()).add(s));
    return result;
  }
}
