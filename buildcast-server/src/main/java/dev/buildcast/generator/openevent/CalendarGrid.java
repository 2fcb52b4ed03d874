package dev.buildcast.generator.openevent;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * One day of the schedule as a grid: a column per room, a row per five minutes, each session a
 * box spanning its rows. The page lays it out with CSS grid from the row and column numbers
 * computed here, so the grid needs no script.
 *
 * @param rooms the column headings, in the export's room order; a last "no room" column (a
 *     {@code null} entry) when some session has none
 * @param marks the time labels down the side, one per half hour
 * @param cells the sessions with their place in the grid
 * @param rowCount the number of five-minute rows
 */
record CalendarGrid(List<Room> rooms, List<Mark> marks, List<Cell> cells, int rowCount) {

  static final int MINUTES_PER_ROW = 5;

  /** A time label on grid row {@code row} (1-based, after the heading row). */
  record Mark(String label, int row) {}

  /** A session's box: rows {@code [rowStart, rowEnd)} and column {@code column}, all 1-based. */
  record Cell(Session session, int column, int rowStart, int rowEnd) {

    /** The CSS grid placement, numbers only, for the style attribute. */
    public String placement() {
      return "grid-column:" + column + ";grid-row:" + rowStart + "/" + rowEnd;
    }
  }

  /**
   * @param sessions one day's sessions, all with a start time
   * @param allRooms the export's rooms in their order; only those used this day become columns
   */
  static CalendarGrid of(List<Session> sessions, List<Room> allRooms, EventClock clock) {
    List<Room> rooms = new ArrayList<>();
    for (Room room : allRooms) {
      if (sessions.stream().anyMatch(s -> s.room() != null && s.room().id().equals(room.id()))) rooms.add(room);
    }
    if (sessions.stream().anyMatch(s -> s.room() == null)) rooms.add(null);
    LocalTime first = sessions.stream().map(s -> s.start().toLocalTime()).min(LocalTime::compareTo).orElseThrow()
        .truncatedTo(ChronoUnit.HOURS);
    ZonedDateTime dayStart = sessions.get(0).start().with(first);
    List<Cell> cells = new ArrayList<>();
    int lastRow = 2;
    for (Session session : sessions) {
      int rowStart = 2 + (int) (minutesFrom(dayStart, session.start()) / MINUTES_PER_ROW);
      // why: a box longer than a day (a multi-day workshop) would stretch the grid by hundreds of rows
      long length = session.end() == null ? 30
          : Math.min(24 * 60, Math.max(MINUTES_PER_ROW, minutesFrom(session.start(), session.end())));
      int rows = (int) Math.ceil(length / (double) MINUTES_PER_ROW);
      int column = 2 + indexOf(rooms, session.room());
      cells.add(new Cell(session, column, rowStart, rowStart + rows));
      lastRow = Math.max(lastRow, rowStart + rows);
    }
    List<Mark> marks = new ArrayList<>();
    for (int row = 2; row < lastRow; row += 30 / MINUTES_PER_ROW) {
      marks.add(new Mark(clock.time(dayStart.plusMinutes((long) (row - 2) * MINUTES_PER_ROW)), row));
    }
    // why: List.copyOf refuses the null that stands for the "no room" column
    return new CalendarGrid(java.util.Collections.unmodifiableList(rooms), List.copyOf(marks), List.copyOf(cells), lastRow - 2);
  }

  private static long minutesFrom(ZonedDateTime from, ZonedDateTime to) {
    return Math.max(0, Duration.between(from, to).toMinutes());
  }

  private static int indexOf(List<Room> rooms, Room room) {
    for (int i = 0; i < rooms.size(); i++) {
      Room candidate = rooms.get(i);
      if (candidate == null ? room == null : room != null && candidate.id().equals(room.id())) return i;
    }
    throw new IllegalStateException("room " + room + " is not a column");
  }
}
