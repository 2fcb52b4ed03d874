import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/**
 * A made-up Open Event export for the screenshots: three days, five rooms, four coloured tracks,
 * speakers with and without photos (the photos are drawn here), sponsors, one long unbroken title.
 * Every name is invented, so the screenshots show no real person's data.
 */
final class DemoExport {

  private static final String[] FIRST = {"Ada", "Bao", "Chiara", "Dmitri", "Élodie", "Farah", "Gao", "Hannah", "Ikaika",
      "Jonas", "Kiri", "Lucía", "Minh", "Nadia", "Øyvind", "Priya", "Quentin", "Rania", "Sung", "Tomás"};
  private static final String[] LAST = {"Alvarez", "Bergström", "Chen", "Dubois", "Esposito", "Fujita", "García",
      "Haddad", "Ivanova", "Jansen", "Kowalski", "Lee", "Müller", "Nguyen", "Okafor", "Pereira", "Quinn", "Rossi",
      "Santoso", "Tanaka"};
  private static final String[] TOPICS = {"Open hardware for classrooms", "Scaling a volunteer-run mirror network",
      "Accessible maps from open data", "Reproducible builds in practice", "Translating software with communities",
      "Low-power sensors for air quality", "Teaching Git without tears", "A year of running an open registry",
      "Privacy-friendly analytics", "Designing for slow networks", "Keynote: the next ten years of open source",
      "Lightning talks", "Rust on microcontrollers", "Funding maintainers", "Civic tech that lasts"};
  private static final String[][] TRACKS = {{"Hardware", "#d94f00", "#ffffff"}, {"Community", "#1f7a4d", "#ffffff"},
      {"Web", "#2b59c3", "#ffffff"}, {"Data", "#f2c12e", "#000000"}};
  private static final String[] ROOMS = {"Main Hall", "Workshop Room 1", "Workshop Room 2", "Library", "Courtyard"};

  private DemoExport() {}

  static Path write(Path zip) throws IOException {
    try (OutputStream file = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(file)) {
      put(out, "event", """
          {"id": 42, "name": "Open Demo Summit 2026", "timezone": "Asia/Singapore",
           "starts-at": "2026-03-13T09:00:00+08:00", "ends-at": "2026-03-15T18:00:00+08:00",
           "location-name": "Example Science Centre, 1 Demo Road", "latitude": 1.3331, "longitude": 103.7361,
           "description": "<p>Three days of talks and workshops about open technology. <b>All names here are invented.</b></p>",
           "organizer-name": "Demo Community", "email": "hello@demo.invalid",
           "event-copyright": {"holder": "Demo Community", "year": 2026, "licence": "Attribution",
                               "licence-url": "https://creativecommons.org/licenses/by/4.0"}}
          """);
      StringBuilder tracks = new StringBuilder("[");
      for (int i = 0; i < TRACKS.length; i++) {
        if (i > 0) tracks.append(',');
        tracks.append("{\"id\": %d, \"name\": \"%s\", \"color\": \"%s\", \"font-color\": \"%s\"}"
            .formatted(i + 1, TRACKS[i][0], TRACKS[i][1], TRACKS[i][2]));
      }
      put(out, "tracks", tracks + "]");
      StringBuilder rooms = new StringBuilder("[");
      for (int i = 0; i < ROOMS.length; i++) {
        if (i > 0) rooms.append(',');
        rooms.append("{\"id\": %d, \"name\": \"%s\", \"floor\": %d}".formatted(10 + i, ROOMS[i], i % 3));
      }
      put(out, "microlocations", rooms + "]");
      StringBuilder speakers = new StringBuilder("[");
      for (int i = 0; i < FIRST.length; i++) {
        if (i > 0) speakers.append(',');
        String photo = i % 3 == 2 ? "" : ", \"photo-url\": \"/images/speakers/s%d.png\"".formatted(i);
        speakers.append(("{\"id\": %d, \"name\": \"%s %s\", \"organisation\": \"%s\", \"is-featured\": %b,"
            + " \"github\": \"demo%d\", \"short-biography\": \"<p>Works on open things.</p>\"%s}")
            .formatted(100 + i, FIRST[i], LAST[i], i % 2 == 0 ? "Demo Lab" : "Example University", i < 4, i, photo));
        if (photo.length() > 0) {
          out.putNextEntry(new ZipEntry("images/speakers/s" + i + ".png"));
          out.write(portrait(i));
          out.closeEntry();
        }
      }
      put(out, "speakers", speakers + "]");
      List<String> sessions = new ArrayList<>();
      int id = 1000;
      for (int day = 0; day < 3; day++) {
        for (int room = 0; room < ROOMS.length; room++) {
          for (int slot = 0; slot < 5; slot++) {
            int hour = 9 + slot * 2 + (room % 2);
            int minutes = room == 0 && slot == 0 ? 30 : 45 + 15 * (room % 3);
            String title = TOPICS[(day * 7 + room * 3 + slot) % TOPICS.length];
            if (day == 1 && room == 3 && slot == 2) title = "Supercalifragilisticexpialidociousopenhardwareworkshop";
            sessions.add(("{\"id\": %d, \"title\": \"%s\", \"starts-at\": \"2026-03-%02dT%02d:00:00+08:00\","
                + " \"ends-at\": \"2026-03-%02dT%02d:%02d:00+08:00\", \"track\": {\"id\": %d}, \"microlocation\": {\"id\": %d},"
                + " \"speakers\": [{\"id\": %d}], \"short-abstract\": \"<p>What we learned, and what is next.</p>\"%s}")
                .formatted(id, title, 13 + day, hour, 13 + day, hour + minutes / 60, minutes % 60,
                    1 + (room + slot) % TRACKS.length, 10 + room, 100 + (id % FIRST.length),
                    id == 1000 ? ", \"video-url\": \"https://www.youtube.com/watch?v=aaaaaaaaaaa\"" : ""));
            id++;
          }
        }
      }
      put(out, "sessions", "[" + String.join(",", sessions) + "]");
      put(out, "sponsors", """
          [{"id": 1, "name": "Example Foundation", "level": 3, "type": "Gold"},
           {"id": 2, "name": "Demo Cloud", "level": 2, "type": "Silver"},
           {"id": 3, "name": "Sample Hosting", "level": 2, "type": "Silver"}]
          """);
    }
    return zip;
  }

  /** A coloured square with a head-and-shoulders shape, different for each speaker. */
  private static byte[] portrait(int i) throws IOException {
    BufferedImage image = new BufferedImage(480, 480, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    g.setColor(Color.getHSBColor(i / 20f, 0.35f, 0.85f));
    g.fillRect(0, 0, 480, 480);
    g.setColor(Color.getHSBColor(i / 20f, 0.5f, 0.45f));
    g.fillOval(160, 90, 160, 170);
    g.fillOval(90, 280, 300, 300);
    g.dispose();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ImageIO.write(image, "png", bytes);
    return bytes.toByteArray();
  }

  private static void put(ZipOutputStream out, String name, String json) throws IOException {
    out.putNextEntry(new ZipEntry(name));
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.closeEntry();
  }
}
