package dev.buildcast.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of one job's detailed log, in the job's folder. */
record LogFiles(Path dir) {

  Path text() {
    return dir.resolve("detailed.log");
  }

  Path index() {
    return dir.resolve("detailed.idx");
  }

  Path basicIndex() {
    return dir.resolve("detailed.basic.idx");
  }

  Path sealMarker() {
    return dir.resolve("detailed.sealed");
  }

  Path sealMarkerDraft() {
    return dir.resolve("detailed.sealed.tmp");
  }

  void deleteAll() {
    try {
      Files.deleteIfExists(sealMarker());
      Files.deleteIfExists(sealMarkerDraft());
      Files.deleteIfExists(index());
      Files.deleteIfExists(basicIndex());
      Files.deleteIfExists(text());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the log in " + dir, e);
    }
  }
}
