package dev.buildcast.generator.openevent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.buildcast.log.LogLevel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipFile;
import javax.imageio.ImageIO;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote images against a real HTTP server the test runs on 127.0.0.1: downloaded once, typed by
 * their bytes, copied and thumbnailed like images from the zip, and every failure a data problem
 * that leaves the job succeeding. Loopback is allowed explicitly here; by default it is refused.
 */
class OpenEventRemoteImagesTest {

  @TempDir Path temp;

  private HttpServer server;
  private ExecutorService handlers;
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private String base;

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    handlers = Executors.newCachedThreadPool();
    server.setExecutor(handlers); // why: the slow answer must not hold up the others
    // why text/html: the type must come from the bytes, never from the header
    serve("/photo.jpg", exchange -> answer(exchange, 200, "text/html", ExportZip.png(300, 300, 0x336699)));
    serve("/small.png", exchange -> answer(exchange, 200, "image/png", ExportZip.image("small")));
    serve("/logo", exchange -> answer(exchange, 200, "image/png", ExportZip.png(400, 200, 0x993366)));
    serve("/go-logo", exchange -> redirect(exchange, "/logo"));
    serve("/to-localhost", exchange -> redirect(exchange, "http://localhost:" + server.getAddress().getPort() + "/logo"));
    serve("/missing.png", exchange -> answer(exchange, 404, "text/plain", "gone".getBytes(StandardCharsets.UTF_8)));
    serve("/page.png", exchange -> answer(exchange, 200, "image/png", "<html><script>x()</script>".getBytes(StandardCharsets.UTF_8)));
    serve("/endless.png", this::endless);
    serve("/slow.png", exchange -> {
      try {
        releaseSlow.await(1, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      answer(exchange, 200, "image/png", ExportZip.image("slow"));
    });
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    releaseSlow.countDown();
    server.stop(0);
    handlers.shutdownNow();
    handlers.awaitTermination(1, TimeUnit.MINUTES);
  }

  private interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }

  private void serve(String path, Handler handler) {
    server.createContext(path, exchange -> {
      requests.computeIfAbsent(exchange.getRequestURI().getPath(), p -> new AtomicInteger()).incrementAndGet();
      try (exchange) {
        handler.handle(exchange);
      }
    });
  }

  private static void answer(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
  }

  /** A PNG signature followed by more bytes than any cap, with no declared length. */
  private void endless(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "image/png");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    out.write(ExportZip.image("endless"));
    byte[] filler = new byte[8192];
    try {
      for (int i = 0; i < 256; i++) out.write(filler); // 2 MiB, far past the test's 4 KiB cap
    } catch (IOException e) {
      // the client hung up once it had enough, which is the point
    }
  }

  private int requested(String path) {
    AtomicInteger count = requests.get(path);
    return count == null ? 0 : count.get();
  }

  private static RemoteImageSettings settings(long maxBytesPerImage, Duration requestTimeout, List<String> hosts, boolean allowPrivate) {
    return new RemoteImageSettings(true, maxBytesPerImage, 50L * 1024 * 1024, 100, requestTimeout, Duration.ofMinutes(5), hosts,
        allowPrivate);
  }

  /** Loopback allowed, because the test's server is on this machine. */
  private static OpenEventSiteGenerator fetching() {
    return fetching(settings(RemoteImageSettings.DEFAULT_MAX_BYTES_PER_IMAGE, Duration.ofSeconds(30), List.of(), true));
  }

  private static OpenEventSiteGenerator fetching(RemoteImageSettings settings) {
    return new OpenEventSiteGenerator(settings, Clock.systemUTC());
  }

  /** An export whose event logo, two speakers' photos and a sponsor's logo are addresses. */
  private ExportZip export(String logo, String firstPhoto, String secondPhoto, String sponsorLogo) {
    return new ExportZip()
        .json("event", """
            {"id": 9, "name": "Remote Fest", "timezone": "UTC", "starts-at": "2026-05-10T10:00:00Z",
             "ends-at": "2026-05-10T18:00:00Z", "logo-url": "%s"}
            """.formatted(base + logo))
        .json("speakers", """
            [{"id": 1, "name": "Ada Lovelace", "photo-url": "%s"},
             {"id": 2, "name": "Bob Builder", "photo-url": "%s"},
             {"id": 3, "name": "Cy Twin", "photo-url": "%s"}]
            """.formatted(base + firstPhoto, base + secondPhoto, base + firstPhoto))
        .json("sponsors", """
            [{"id": 7, "name": "Acme", "level": 1, "type": "Gold", "logo-url": "%s"}]
            """.formatted(base + sponsorLogo));
  }

  @Test
  void generate_fetchOn_remoteImagesAreCopiedThumbnailedAndReferencedLocally() throws Exception {
    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/go-logo"), fetching());

    assertThat(run.exitCode).isZero();
    assertThat(requested("/photo.jpg")).as("two speakers share the address; one request").isEqualTo(1);
    assertThat(requested("/small.png")).as("the event logo and a speaker share it").isEqualTo(1);
    assertThat(requested("/logo")).isEqualTo(1);

    Document speakers = run.page("speakers.html");
    String avatar = speakers.selectFirst(".person:has(a:contains(Ada Lovelace)) img.avatar").attr("src");
    assertThat(avatar).startsWith("images/thumbs/");
    BufferedImage thumb = ImageIO.read(run.site().resolve(avatar).toFile());
    assertThat(thumb.getWidth()).isEqualTo(128);
    String photo = run.page("speakers/1.html").selectFirst("img.photo").attr("src");
    assertThat(photo).matches("\\.\\./images/fetched/[0-9a-f]{40}\\.png");
    assertThat(run.site().resolve(photo.substring(3))).hasBinaryContent(ExportZip.png(300, 300, 0x336699));
    String logo = run.page("sponsors.html").selectFirst(".sponsors img").attr("src");
    assertThat(logo).startsWith("images/thumbs/");
    assertThat(ImageIO.read(run.site().resolve(logo).toFile()).getWidth()).isEqualTo(128);
    for (String page : List.of("index.html", "speakers.html", "sponsors.html", "speakers/1.html", "speakers/2.html")) {
      assertThat(run.page(page).select("img").eachAttr("src")).as(page).noneMatch(src -> src.contains("127.0.0.1"));
    }
    assertThat(run.page("index.html").selectFirst("meta[property=og:image]").attr("content"))
        .as("og:image needs an absolute address: the one the copy came from").isEqualTo(base + "/small.png");
    try (ZipFile zip = new ZipFile(run.outputDir.resolve("site.zip").toFile())) {
      assertThat(zip.getEntry(photo.substring(3))).isNotNull();
    }
    assertThat(run.log.texts(LogLevel.NOTICE)).anyMatch(line -> line.matches("fetched 3 remote images \\(\\d+ bytes\\)"));
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("copied 3 local files (images, audio); linked 0 remote files");
    assertThat(run.workDir.resolve("fetched-images")).doesNotExist();
  }

  @Test
  void generate_brokenRemoteImages_areDataProblemsAndTheJobSucceeds() throws Exception {
    OpenEventSiteGenerator generator = fetching(settings(4096, Duration.ofSeconds(30), List.of(), true));

    JobRun run = JobRun.of(temp, export("/endless.png", "/missing.png", "/page.png", "/missing.png"), generator);

    assertThat(run.exitCode).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains(
        "data problem: speaker 1 photo and 2 more: image " + base + "/missing.png could not be fetched (HTTP 404); linked instead",
        "data problem: speaker 2 photo: image " + base + "/page.png is not a PNG, JPEG, GIF, WebP or AVIF image by its content; left out",
        "data problem: event logo: image " + base + "/endless.png could not be fetched (larger than 4096 bytes); linked instead");
    assertThat(run.log.texts(LogLevel.WARNING)).contains(
        "3 data problems while fetching remote images (records skipped or shown without the broken field; each one is in the detailed log)");
    assertThat(run.log.texts(LogLevel.NOTICE))
        .contains("fetched 0 remote images (0 bytes); 3 could not be used and stay linked or left out");
    Document speakers = run.page("speakers.html");
    assertThat(speakers.selectFirst(".person:has(a:contains(Ada Lovelace)) img.avatar").attr("src")).isEqualTo(base + "/missing.png");
    assertThat(speakers.select(".person:has(a:contains(Bob Builder)) .avatar.placeholder").text()).isEqualTo("BB");
    assertThat(run.page("sponsors.html").selectFirst(".sponsors img").attr("src")).isEqualTo(base + "/missing.png");
  }

  @Test
  void generate_answerThatNeverComes_timesOutAsADataProblem() throws Exception {
    // why only the stalled address here: a 1 s limit on answers that do come could fail on a busy machine
    OpenEventSiteGenerator generator = fetching(settings(4096, Duration.ofSeconds(1), List.of(), true));

    JobRun run = JobRun.of(temp, export("/slow.png", "/slow.png", "/slow.png", "/slow.png"), generator);

    assertThat(run.exitCode).isZero();
    assertThat(requested("/slow.png")).isEqualTo(1);
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("data problem: event logo and 4 more: image " + base
        + "/slow.png could not be fetched (no answer within 1s); linked instead");
    assertThat(run.page("sponsors.html").selectFirst(".sponsors img").attr("src")).isEqualTo(base + "/slow.png");
  }

  @Test
  void generate_withoutTheSetting_requestsNothingAndLinksTheAddresses() throws Exception {
    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/go-logo"));

    assertThat(run.exitCode).isZero();
    assertThat(requests).isEmpty();
    assertThat(run.page("speakers/1.html").selectFirst("img.photo").attr("src")).isEqualTo(base + "/photo.jpg");
    assertThat(run.log.texts(LogLevel.NOTICE)).contains("copied 0 local files (images, audio); linked 3 remote files");
  }

  @Test
  void generate_loopbackNotAllowed_isRefusedWithoutARequest() throws Exception {
    OpenEventSiteGenerator generator = fetching(RemoteImageSettings.off().withFetch(true));

    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/go-logo"), generator);

    assertThat(run.exitCode).isZero();
    assertThat(requests).isEmpty();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("data problem: speaker 1 photo and 1 more: image " + base
        + "/photo.jpg could not be fetched (refused: the image host 127.0.0.1 resolves to 127.0.0.1, a loopback"
        + " address (127.0.0.0/8); set openEventSite.remoteImages.allowPrivateAddresses: true to allow such addresses); linked instead");
    assertThat(run.page("speakers/1.html").selectFirst("img.photo").attr("src")).isEqualTo(base + "/photo.jpg");
  }

  @Test
  void generate_redirectToAHostOffTheList_isCheckedAgainAndRefused() throws Exception {
    OpenEventSiteGenerator generator = fetching(settings(RemoteImageSettings.DEFAULT_MAX_BYTES_PER_IMAGE, Duration.ofSeconds(30),
        List.of("127.0.0.1"), true));

    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/to-localhost"), generator);

    assertThat(run.exitCode).isZero();
    assertThat(requested("/to-localhost")).isEqualTo(1);
    assertThat(requested("/logo")).isZero();
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("data problem: sponsor 7 logo: image " + base
        + "/to-localhost could not be fetched (refused: the image host localhost is not in openEventSite.remoteImages.allowedHosts); linked instead");
    assertThat(run.log.texts(LogLevel.NOTICE)).anyMatch(line -> line.startsWith("fetched 2 remote images ("));
  }

  @Test
  void generate_endlessRedirects_stopAfterThree() throws Exception {
    serve("/loop", exchange -> redirect(exchange, "/loop"));

    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/loop"), fetching());

    assertThat(run.exitCode).isZero();
    assertThat(requested("/loop")).isEqualTo(4);
    assertThat(run.log.texts(LogLevel.DETAIL)).contains("data problem: sponsor 7 logo: image " + base
        + "/loop could not be fetched (more than 3 redirects); linked instead");
  }

  @Test
  void generate_remoteImagesOn_resultIsTheSameAsForTheSameImagesInTheZip() throws Exception {
    JobRun run = JobRun.of(temp, export("/small.png", "/photo.jpg", "/small.png", "/go-logo"), fetching());

    Path fetched = run.site().resolve("images/fetched");
    try (var files = Files.list(fetched)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).hasSize(3).allMatch(n -> n.matches("[0-9a-f]{40}\\.png"));
    }
  }
}
