package dev.buildcast.generator.openevent;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule page's shape: one section per day, inside it one group per time slot (the sessions
 * that start at that time, room by room), so "what is on at 10:00" is one heading away. Sessions
 * without a start time are kept apart as unscheduled.
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
  record Day(LocalDate date, String title, String anchor, List<TimeSlot> slots) {

    /** Every session of the day, in time order. */
    List<Session> sessions() {
      return slots.stream().flatMap(slot -> slot.sessions().stream()).toList();
    }
  }

  /**
   * The sessions that start at one time of one day.
   *
   * @param label "10:00"
   * @param anchor the slot's id on the page ({@code t-2017-03-17-1000})
   * @param sessions in room order, then title
   */
  record TimeSlot(String label, String anchor, List<Session> sessions) {}

  /** @param room {@code null} for sessions without a room, which are listed last */
  record RoomSessions(Room room, List<Session> sessions) {}

  /** @param sessions in the time order of {@link EventData#sessions()} */
  static Schedule of(List<Session> sessions, EventClock clock) {
    Map<LocalDate, Map<LocalTime, List<Session>>> byDay = new LinkedHashMap<>();
    List<Session> unscheduled = new ArrayList<>();
    for (Session session : sessions) {
      if (session.start() == null) {
        unscheduled.add(session);
        continue;
      }
      byDay.computeIfAbsent(session.start().toLocalDate(), d -> new LinkedHashMap<>())
          .computeIfAbsent(session.start().toLocalTime(), t -> new ArrayList<>())
          .add(session);
    }
    List<Day> days = new ArrayList<>();
    byDay.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(day -> {
          List<TimeSlot> slots = new ArrayList<>();
          day.getValue().forEach((time, list) -> {
            Session first = list.get(0);
            slots.add(new TimeSlot(clock.time(first.start()),
                "t-" + day.getKey() + "-" + clock.time(first.start()).replace(":", ""), List.copyOf(list)));
          });
          Session first = slots.get(0).sessions().get(0);
          days.add(new Day(day.getKey(), clock.day(first.start()), "day-" + day.getKey(), List.copyOf(slots)));
        });
    return new Schedule(List.copyOf(days), List.copyOf(unscheduled));
  }
}
