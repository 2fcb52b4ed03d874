package dev.buildcast.generator.openevent;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule page's shape: one section per day, inside it one group per room, inside that the
 * sessions in time order. Sessions without a start time are kept apart as unscheduled.
 *
 * @param days the event's days in date order
 * @param unscheduled sessions whose start time is missing or could not be read
 */
record Schedule(List<Day> days, List<Session> unscheduled) {

  /**
   * One day of the event.
   *
   * @param anchor the section's id on the page ({@code day-2017-03-17})
   */
  record Day(LocalDate date, String title, String anchor, List<RoomSessions> rooms) {}

  /** @param room {@code null} for sessions without a room, which are listed last */
  record RoomSessions(Room room, List<Session> sessions) {}

  /** @param sessions in the time order of {@link EventData#sessions()} */
  static Schedule of(List<Session> sessions, EventClock clock) {
    Map<LocalDate, Map<Room, List<Session>>> byDay = new LinkedHashMap<>();
    List<Session> unscheduled = new ArrayList<>();
    for (Session session : sessions) {
      if (session.start() == null) {
        unscheduled.add(session);
        continue;
      }
      byDay.computeIfAbsent(session.start().toLocalDate(), d -> new LinkedHashMap<>())
          .computeIfAbsent(session.room(), r -> new ArrayList<>())
          .add(session);
    }
    List<Day> days = new ArrayList<>();
    byDay.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(day -> {
          List<RoomSessions> rooms = new ArrayList<>();
          day.getValue().forEach((room, list) -> rooms.add(new RoomSessions(room, List.copyOf(list))));
          rooms.sort(Comparator.comparing(
              (RoomSessions r) -> r.room() == null ? null : r.room().name(),
              Comparator.nullsLast(Comparator.naturalOrder())));
          days.add(new Day(day.getKey(), clock.day(day.getValue().values().iterator().next().get(0).start()),
              "day-" + day.getKey(), List.copyOf(rooms)));
        });
    return new Schedule(List.copyOf(days), List.copyOf(unscheduled));
  }
}
