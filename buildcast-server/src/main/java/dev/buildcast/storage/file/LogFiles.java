package dev.buildcast.storage.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The files of one job's detailed log, in the job's folder. */
record LogFiles(Path dir) {

  /** The job the log belongs to: its folder is named for it. */
  String jobId() {
    return String.valueOf(dir.getFileName());
  }

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

  /** Present while the log is over its limit: the extent of its head. */
  Path limitMarker() {
    return dir.resolve("detailed.limit");
  }

  Path limitMarkerDraft() {
    return dir.resolve("detailed.limit.tmp");
  }

  /** One of the two segments of the held-back tail of a log over its limit. */
  Path tailSegment(int number) {
    return dir.resolve("detailed.tail." + number);
  }

  void deleteAll() {
    try {
      Files.deleteIfExists(limitMarker());
      Files.deleteIfExists(limitMarkerDraft());
      Files.deleteIfExists(tailSegment(0));
      Files.deleteIfExists(tailSegment(1));
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
