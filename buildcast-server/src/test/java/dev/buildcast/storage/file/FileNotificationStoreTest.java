package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.job.PrivateFiles;
import dev.buildcast.job.SecureTokens;
import dev.buildcast.notify.DeliveryKind;
import dev.buildcast.notify.NotificationStore;
import dev.buildcast.notify.NotificationStoreContract;
import dev.buildcast.notify.PendingDelivery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The file adapter: the contract, plus what a data folder left by a crash or another version may hold. */
class FileNotificationStoreTest extends NotificationStoreContract {

  @Override
  protected NotificationStore newStore(Path dir) {
    return new FileNotificationStore(dir.resolve("notify"));
  }

  @Override
  protected NotificationStore reopen(NotificationStore before, Path dir) {
    return new FileNotificationStore(dir.resolve("notify"));
  }

  private PendingDelivery saved() {
    PendingDelivery d = new PendingDelivery(UUID.randomUUID().toString(), SecureTokens.newId(), DeliveryKind.WEBHOOK,
        "https://hooks.example.com/h", true, 1, AT, "HTTP 500");
    store.save(d);
    return d;
  }

  private Path folder() {
    return dir.resolve("notify");
  }

  @Test
  void save_recordAndFolder_privateToTheServer() throws Exception {
    PendingDelivery d = saved();
    Path file = folder().resolve(d.jobId() + "." + d.id() + ".json");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(folder())).isEqualTo(PrivateFiles.FOLDER);
    assertThat(Files.readString(file)).doesNotContain("token");
  }

  @Test
  void open_garbledUnknownAndMisnamedRecords_droppedSetAsideAndTheRestRead() throws Exception {
    PendingDelivery good = saved();
    String job = SecureTokens.newId();
    String valid = Files.readString(folder().resolve(good.jobId() + "." + good.id() + ".json"));
    List<String> bad = List.of(
        "{\"format\":1,\"id\":",                                                   // torn
        "[1,2,3]",                                                                 // not an object
        valid.replace("\"webhook\"", "\"sms\""),                                   // unknown kind
        valid.replace("\"format\":1", "\"format\":2"),                             // another version
        valid.replace("\"failedAttempts\":1", "\"failedAttempts\":\"many\""),      // wrong type
        valid.replace(good.nextAttemptAt().toString(), "soon"),                    // no time
        valid,                                                                     // names another delivery than its file
        "x".repeat(70_000));                                                       // far too large
    for (String content : bad) Files.writeString(folder().resolve(job + "." + UUID.randomUUID() + ".json"), content);
    Files.writeString(folder().resolve(UUID.randomUUID() + "123.tmp"), "half a rec");

    NotificationStore reopened = reopen(store, dir);

    assertThat(reopened.all()).containsExactly(good);
    assertThat(reopened.forJob(job)).isEmpty();
    try (var files = Files.list(folder())) {
      List<String> names = files.map(p -> p.getFileName().toString()).toList();
      assertThat(names.stream().filter(n -> n.endsWith(".unreadable"))).hasSize(bad.size());
      assertThat(names.stream().filter(n -> n.endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void forJob_fileNamesWithGlobCharacters_neverMatchAnotherJob() throws Exception {
    PendingDelivery d = saved();
    assertThat(store.forJob("*")).isEmpty();
    assertThat(store.forJob(d.jobId().substring(0, 5) + "*")).isEmpty();
    assertThat(store.forJob(d.jobId())).containsExactly(d);
  }
}
