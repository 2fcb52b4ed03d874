package dev.buildcast.upload;

import static dev.buildcast.upload.UploadServiceTest.random;
import static dev.buildcast.testing.TestBytes.sha256;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.buildcast.testing.RunningServer;
import dev.buildcast.testing.SocketClients;
import dev.buildcast.testing.SocketClients.Watcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Buildcast's upload events end to end, with the official Java Socket.IO client. */
class UploadSocketIT {

  static final String CONFIG =
      """
      uploads:
        maxBytes: 48MiB
        maxUnfinishedPerConnection: 4
      generators:
        - name: site
          description: Lists the uploaded zip
          command: [bash, -c, "echo '::notice::generator ran'; unzip -l \\"$BUILDCAST_INPUT\\""]
          input: zip
      """;
  static final int CHUNK = 256 * 1024;

  @TempDir Path data;
  private RunningServer server;
  private final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    server = RunningServer.start(data, CONFIG);
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : clients) c.close();
    if (server != null) server.close();
  }

  private UploadClient client() throws Exception {
    return client(server);
  }

  private UploadClient client(RunningServer on) throws Exception {
    UploadClient c = new UploadClient(on.url());
    clients.add(c);
    return c;
  }

  private Path uploadsDir() {
    return data.resolve("uploads");
  }

  /** Where a completed upload's bytes are: its blob in the server's folder blob store. */
  private Path completedFile(String id) {
    return data.resolve("blobs/objects/uploads").resolve(id);
  }

  @Test
  void upload_wholeFile_ackOffsetsThenCompleteWithSha256AndFileOnDisk() throws Exception {
    byte[] file = random(3 * CHUNK + 123);
    UploadClient c = client();
    JsonNode started = c.start("site.zip", file.length, sha256(file));
    assertThat(started.get("uploadId").asText()).matches("[A-Za-z0-9_-]{22}");
    assertThat(started.get("offset").asLong()).isZero();
    assertThat(started.get("chunkSize").asInt()).isEqualTo(UploadLimits.MAX_CHUNK_BYTES);
    String id = started.get("uploadId").asText();
    JsonNode last = c.sendFrom(id, 0, file, CHUNK);
    assertThat(last.get("offset").asLong()).isEqualTo(file.length);
    await().atMost(Duration.ofSeconds(60)).until(() -> c.completed.size() == 1);
    JsonNode done = c.completed.getFirst();
    assertThat(done.get("uploadId").asText()).isEqualTo(id);
    assertThat(done.get("size").asLong()).isEqualTo(file.length);
    assertThat(done.get("sha256").asText()).isEqualTo(sha256(file));
    assertThat(Files.readAllBytes(completedFile(id))).isEqualTo(file);
  }

  @Test
  void complete_expectingAZipThatIsNone_reportsKindFileAndWhy() throws Exception {
    byte[] file = ("PK\u0003\u0004" + "not really a zip".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);
    UploadClient c = client();
    String id = c.startExpecting("export.zip", file.length, "zip").get("uploadId").asText();
    c.sendFrom(id, 0, file, CHUNK);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.completed.size() == 1);
    JsonNode done = c.completed.getFirst();
    assertThat(done.get("kind").asText()).isEqualTo("file");
    assertThat(done.get("error").get("code").asText()).isEqualTo("not_a_zip");
    assertThat(done.get("error").get("message").asText()).contains("export.zip is not one", "not a readable zip archive");
  }

  @Test
  void complete_ofAZip_reportsKindZipWithoutError_expectedOrNot() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry("event.json"));
      zip.write("{}".getBytes(StandardCharsets.UTF_8));
    }
    byte[] file = bytes.toByteArray();
    UploadClient c = client();
    String expected = c.startExpecting("export.zip", file.length, "zip").get("uploadId").asText();
    c.sendFrom(expected, 0, file, CHUNK);
    String plain = c.start("export.zip", file.length, null).get("uploadId").asText();
    c.sendFrom(plain, 0, file, CHUNK);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.completed.size() == 2);
    for (JsonNode done : c.completed) {
      assertThat(done.get("kind").asText()).isEqualTo("zip");
      assertThat(done.has("error")).isFalse();
    }
  }

  @Test
  void start_expectingAnUnknownKind_isRefusedNamingTheField() throws Exception {
    JsonNode answer = client().startExpecting("x.bin", 10, "tarball");
    assertThat(answer.get("error").get("code").asText()).isEqualTo("bad_request");
    assertThat(answer.get("error").get("message").asText()).contains("'expect'");
  }

  @Test
  void resume_afterForcedDisconnectMidFile_continuesWhereServerStoppedAndSha256Matches() throws Exception {
    byte[] file = random(24 * CHUNK + 77);
    UploadClient first = client();
    String id = first.start("big.bin", file.length, sha256(file)).get("uploadId").asText();
    first.sendFrom(id, 0, java.util.Arrays.copyOf(file, 6 * CHUNK), CHUNK);
    // three more chunks in flight when the connection drops: the server keeps what it wrote
    for (int i = 6; i < 9; i++) first.chunkAsync(id, (long) i * CHUNK, file, CHUNK);
    String sid = first.socket.id();
    server.server().socketIo().namespace("/").sockets().stream()
        .filter(s -> s.id().equals(sid)).findFirst().orElseThrow()
        .disconnect(true);
    first.close();

    UploadClient second = client();
    JsonNode resumed = second.resume(id);
    long held = resumed.get("offset").asLong();
    assertThat(held).isBetween(6L * CHUNK, 9L * CHUNK);
    assertThat(held % CHUNK).isZero();
    assertThat(Files.size(uploadsDir().resolve(id + ".part"))).isEqualTo(held);
    JsonNode last = second.sendFrom(id, held, file, CHUNK);
    assertThat(last.get("offset").asLong()).isEqualTo(file.length);
    await().atMost(Duration.ofSeconds(60)).until(() -> second.completed.size() == 1);
    assertThat(second.completed.getFirst().get("sha256").asText()).isEqualTo(sha256(file));
    assertThat(sha256(Files.readAllBytes(completedFile(id)))).isEqualTo(sha256(file));
  }

  @Test
  void chunk_atWrongOffset_refusedWithExpectedOffset() throws Exception {
    byte[] file = random(3 * 1000);
    UploadClient c = client();
    String id = c.start("f", file.length, null).get("uploadId").asText();
    c.chunk(id, 0, file, 1000);
    JsonNode refused = c.chunk(id, 2000, file, 1000);
    assertThat(refused.at("/error/code").asText()).isEqualTo("wrong_offset");
    assertThat(refused.at("/error/expectedOffset").asLong()).isEqualTo(1000);
    assertThat(refused.at("/error/message").asText()).contains("offset 1000");
    assertThat(c.chunk(id, 1000, file, 1000).get("offset").asLong()).isEqualTo(2000);
  }

  @Test
  void progress_largeUpload_atMostTenPerSecondOneAt100AndNeverAheadOfTheDisk() throws Exception {
    byte[] file = random(40 * 1024 * 1024);
    List<String> aheadOfDisk = new java.util.concurrent.CopyOnWriteArrayList<>();
    UploadClient c = new UploadClient(server.url(), p -> {
      Path part = uploadsDir().resolve(p.get("uploadId").asText() + ".part");
      Path done = completedFile(p.get("uploadId").asText());
      long onDisk = Files.exists(done) ? done.toFile().length() : part.toFile().length();
      if (onDisk < p.get("bytesReceived").asLong()) aheadOfDisk.add(p + " but disk has " + onDisk);
    });
    clients.add(c);
    String id = c.start("big", file.length, null).get("uploadId").asText();
    long began = System.nanoTime();
    c.sendFrom(id, 0, file, 64 * 1024);
    await().atMost(Duration.ofSeconds(60)).until(() -> c.completed.size() == 1);
    double seconds = (System.nanoTime() - began) / 1e9;

    List<JsonNode> events = c.progress.stream().map(UploadClient.Progress::payload).toList();
    assertThat(aheadOfDisk).isEmpty();
    assertThat(events.stream().filter(p -> p.get("percentage").asInt() == 100)).hasSize(1);
    assertThat(events.getLast().get("percentage").asInt()).isEqualTo(100);
    assertThat(events.getLast().get("bytesReceived").asLong()).isEqualTo(file.length);
    assertThat(events).allSatisfy(p -> {
      assertThat(p.get("uploadId").asText()).isEqualTo(id);
      assertThat(p.get("size").asLong()).isEqualTo(file.length);
      assertThat(p.get("percentage").asLong()).isEqualTo(p.get("bytesReceived").asLong() * 100 / file.length);
    });
    assertThat(events.size()).isLessThanOrEqualTo((int) Math.ceil(seconds * 10) + 2);
    List<Long> bytes = events.stream().map(p -> p.get("bytesReceived").asLong()).toList();
    assertThat(bytes).isSorted();
  }

  @Test
  void upload_manyClientsAtOnce_eachCompletesWithItsOwnBytes(@TempDir Path roomy) throws Exception {
    int clientsCount = 16;
    // why its own server: every client here has the same address, and the limit on unfinished uploads is per address
    RunningServer shared = RunningServer.start(roomy, CONFIG.replace("maxUnfinishedPerConnection: 4", "maxUnfinishedPerAddress: 16"));
    ExecutorService pool = Executors.newFixedThreadPool(clientsCount);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < clientsCount; i++) {
        byte[] file = random(1_000_000 + i);
        results.add(pool.submit(() -> {
          UploadClient c = client(shared);
          String id = c.start("f", file.length, sha256(file)).get("uploadId").asText();
          c.sendFrom(id, 0, file, 100_000);
          await().atMost(Duration.ofSeconds(60)).until(() -> c.completed.size() == 1);
          assertThat(Files.readAllBytes(roomy.resolve("blobs/objects/uploads").resolve(id))).isEqualTo(file);
          return id;
        }));
      }
      List<String> ids = new ArrayList<>();
      for (Future<String> f : results) ids.add(f.get(60, TimeUnit.SECONDS));
      assertThat(ids).doesNotHaveDuplicates().hasSize(clientsCount);
    } finally {
      pool.shutdownNow();
      shared.close();
    }
  }

  @Test
  void start_overMaxBytes_refusedNamingTheLimit() throws Exception {
    JsonNode refused = client().start("huge.iso", 48L * 1024 * 1024 + 1, null);
    assertThat(refused.at("/error/code").asText()).isEqualTo("too_large");
    assertThat(refused.at("/error/message").asText()).contains("uploads.maxBytes").contains("50331648");
    try (var files = Files.list(uploadsDir())) {
      assertThat(files.filter(p -> p.toString().endsWith(".part"))).isEmpty();
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing was ever created: fine
    }
  }

  @Test
  void start_fifthUnfinishedFromOneAddress_refusedAlsoOnANewConnectionUntilOneEnds() throws Exception {
    UploadClient c = client();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) ids.add(c.start("f" + i, 10, null).get("uploadId").asText());
    JsonNode refused = c.start("f5", 10, null);
    assertThat(refused.at("/error/code").asText()).isEqualTo("limit_exceeded");
    assertThat(refused.at("/error/message").asText()).contains("uploads.maxUnfinishedPerAddress");
    // issue 14: the limit is per address, so a new connection from the same address gets no fresh allowance
    UploadClient reconnected = client();
    assertThat(reconnected.start("other", 10, null).at("/error/code").asText()).isEqualTo("limit_exceeded");
    c.abort(ids.getFirst());
    assertThat(reconnected.start("f5", 10, null).has("uploadId")).isTrue();
  }

  @Test
  void abort_byOneClient_neverTouchesAnotherClientsUpload() throws Exception {
    byte[] file = random(4 * CHUNK);
    UploadClient a = client();
    UploadClient b = client();
    String idA = a.start("a", file.length, null).get("uploadId").asText();
    String idB = b.start("b", file.length, sha256(file)).get("uploadId").asText();
    a.chunk(idA, 0, file, CHUNK);
    b.chunk(idB, 0, file, CHUNK);
    assertThat(a.abort(idA).get("ok").asBoolean()).isTrue();
    assertThat(uploadsDir().resolve(idA + ".part")).doesNotExist();
    assertThat(a.chunk(idA, CHUNK, file, CHUNK).at("/error/code").asText()).isEqualTo("unknown_upload");
    b.sendFrom(idB, CHUNK, file, CHUNK);
    await().atMost(Duration.ofSeconds(60)).until(() -> b.completed.size() == 1);
    assertThat(b.completed.getFirst().get("sha256").asText()).isEqualTo(sha256(file));
  }

  @Test
  void disconnect_ofOneClient_neverTouchesAnotherClientsUploadAndOwnStaysResumable() throws Exception {
    byte[] file = random(4 * CHUNK);
    UploadClient a = client();
    UploadClient b = client();
    String idA = a.start("a", file.length, null).get("uploadId").asText();
    String idB = b.start("b", file.length, null).get("uploadId").asText();
    a.chunk(idA, 0, file, CHUNK);
    b.chunk(idB, 0, file, CHUNK);
    a.close();
    b.sendFrom(idB, CHUNK, file, CHUNK);
    await().atMost(Duration.ofSeconds(60)).until(() -> b.completed.size() == 1);
    assertThat(client().resume(idA).get("offset").asLong()).isEqualTo(CHUNK);
  }

  @Test
  void chunk_withUnknownId_refused() throws Exception {
    JsonNode refused = client().chunk("AAAAAAAAAAAAAAAAAAAAAA", 0, new byte[10], 10);
    assertThat(refused.at("/error/code").asText()).isEqualTo("unknown_upload");
  }

  @Test
  void generate_withUploadedZipHoldingASymlink_jobFailsAtOnceNamingTheCheck() throws Exception {
    byte[] zip = ZipFixtures.zip().file("event.json", "{}").symlink("evil", "/etc/passwd").bytes(data);
    UploadClient c = client();
    String id = c.start("export.zip", zip.length, null).get("uploadId").asText();
    c.sendFrom(id, 0, zip, CHUNK);
    await().atMost(Duration.ofSeconds(60)).until(() -> c.completed.size() == 1);
    JsonNode ticket = SocketClients.generate(c.socket, Map.of("generator", "site", "uploadId", id));
    Watcher w = SocketClients.watch(server.url(), ticket.get("jobId").asText(), Map.of("token", ticket.get("token").asText()));
    clients.add(w);
    await().atMost(Duration.ofSeconds(60)).until(() -> "failed".equals(w.lastState()));
    assertThat(w.messages).noneMatch(m -> m.contains("generator ran"));
    assertThat(w.messages.getLast()).contains("symlink check").contains("\"evil\"");
  }

  @Test
  void generate_withUploadedGoodZip_generatorGetsTheFile() throws Exception {
    byte[] zip = ZipFixtures.zip().file("event.json", "{}").bytes(data);
    UploadClient c = client();
    String id = c.start("export.zip", zip.length, null).get("uploadId").asText();
    c.sendFrom(id, 0, zip, CHUNK);
    await().atMost(Duration.ofSeconds(60)).until(() -> c.completed.size() == 1);
    JsonNode ticket = SocketClients.generate(c.socket, Map.of("generator", "site", "uploadId", id));
    Watcher w = SocketClients.watch(server.url(), ticket.get("jobId").asText(), Map.of("token", ticket.get("token").asText()));
    clients.add(w);
    await().atMost(Duration.ofSeconds(60)).until(() -> "succeeded".equals(w.lastState()));
    assertThat(w.messages).contains("generator ran");
  }

}
