package dev.buildcast.generator.openevent;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One day of the schedule as a grid: a column per room, a row per five minutes, each session a
 * box spanning its rows. The page lays it out with CSS grid from the row and column numbers
 * computed here, so the grid needs no script.
 *
 * <p>Two sessions of one room whose boxes share a row would be drawn on top of each other, one
 * hiding the other; such a room gets a lane per session running at once (its heading spans them),
 * and the pair is reported, since one room rarely hosts two talks at a time.
 *
 * @param rooms the column headings, in the export's room order; a last "no room" column (a
 *     {@code null} room) when some session has none
 * @param marks the time labels down the side, one per half hour
 * @param cells the sessions with their place in the grid
 * @param rowCount the number of five-minute rows
 * @param columnCount the number of grid columns after the time labels (the lanes of all rooms)
 * @param overlaps sessions of one room whose times overlap, each pair once (sessions without a room
 *     are not compared: breaks and plenaries often share that column)
 */
record CalendarGrid(List<RoomColumn> rooms, List<Mark> marks, List<Cell> cells, int rowCount, int columnCount,
    List<Overlap> overlaps) {

  static final int MINUTES_PER_ROW = 5;

  /** A room's heading: grid columns {@code [column, column + lanes)}; {@code room} null for "no room". */
  record RoomColumn(Room room, int column, int lanes) {

    public String placement() {
      return "grid-column:" + column + "/span " + lanes + ";grid-row:1";
    }
  }

  /** Two sessions drawn side by side because they share a room and some minutes. */
  record Overlap(Session first, Session second, Room room) {}

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
    List<Room> usedRooms = new ArrayList<>();
    for (Room room : allRooms) {
      if (sessions.stream().anyMatch(s -> s.room() != null && s.room().id().equals(room.id()))) usedRooms.add(room);
    }
    if (sessions.stream().anyMatch(s -> s.room() == null)) usedRooms.add(null);
    LocalTime first = sessions.stream().map(s -> s.start().toLocalTime()).min(LocalTime::compareTo).orElseThrow()
        .truncatedTo(ChronoUnit.HOURS);
    ZonedDateTime dayStart = sessions.get(0).start().with(first);

    List<RoomColumn> columns = new ArrayList<>();
    List<Cell> cells = new ArrayList<>();
    List<Overlap> overlaps = new ArrayList<>();
    int nextColumn = 2;
    int lastRow = 2;
    for (Room room : usedRooms) {
      List<Box> boxes = sessions.stream().filter(s -> sameRoom(s.room(), room)).map(s -> Box.of(s, dayStart))
          .sorted(Comparator.comparingInt(Box::rowStart).thenComparingInt(Box::rowEnd)).toList();
      // why: greedy interval partitioning gives each box the first lane free at its start, which
      // uses as few lanes as the most sessions running at once
      List<Box> laneEnds = new ArrayList<>();
      for (Box box : boxes) {
        int lane = 0;
        while (lane < laneEnds.size() && laneEnds.get(lane).rowEnd() > box.rowStart()) lane++;
        for (Box other : laneEnds) {
          if (room != null && other.rowEnd() > box.rowStart() && timesOverlap(other.session(), box.session())) {
            overlaps.add(new Overlap(other.session(), box.session(), room));
          }
        }
        if (lane == laneEnds.size()) laneEnds.add(box); else laneEnds.set(lane, box);
        cells.add(new Cell(box.session(), nextColumn + lane, box.rowStart(), box.rowEnd()));
        lastRow = Math.max(lastRow, box.rowEnd());
      }
      int lanes = Math.max(1, laneEnds.size());
      columns.add(new RoomColumn(room, nextColumn, lanes));
      nextColumn += lanes;
    }
    cells.sort(Comparator.comparing((Cell c) -> c.session().start()).thenComparingInt(Cell::column));
    List<Mark> marks = new ArrayList<>();
    for (int row = 2; row < lastRow; row += 30 / MINUTES_PER_ROW) {
      marks.add(new Mark(clock.time(dayStart.plusMinutes((long) (row - 2) * MINUTES_PER_ROW)), row));
    }
    return new CalendarGrid(List.copyOf(columns), List.copyOf(marks), List.copyOf(cells), lastRow - 2,
        nextColumn - 2, List.copyOf(overlaps));
  }

  /** A session's rows before it has a lane. */
  private record Box(Session session, int rowStart, int rowEnd) {

    static Box of(Session session, ZonedDateTime dayStart) {
      int rowStart = 2 + (int) (minutesFrom(dayStart, session.start()) / MINUTES_PER_ROW);
      // why: a box longer than a day (a multi-day workshop) would stretch the grid by hundreds of rows
      long length = session.end() == null ? 30
          : Math.min(24 * 60, Math.max(MINUTES_PER_ROW, minutesFrom(session.start(), session.end())));
      return new Box(session, rowStart, rowStart + (int) Math.ceil(length / (double) MINUTES_PER_ROW));
    }
  }

  /** Only real times count: a session without an end is drawn 30 minutes long but claims no more. */
  private static boolean timesOverlap(Session a, Session b) {
    return a.end() != null && b.end() != null && a.start().isBefore(b.end()) && b.start().isBefore(a.end());
  }

  private static boolean sameRoom(Room a, Room b) {
    return a == null ? b == null : b != null && a.id().equals(b.id());
  }

  private static long minutesFrom(ZonedDateTime from, ZonedDateTime to) {
    return Math.max(0, Duration.between(from, to).toMinutes());
  }
}
