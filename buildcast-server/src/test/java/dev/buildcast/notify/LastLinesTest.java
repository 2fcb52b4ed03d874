package dev.buildcast.notify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.JobLog;
import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogLine;
import dev.buildcast.testing.MemoryLogStore;
import org.junit.jupiter.api.Test;

class LastLinesTest {

  @Test
  void basic_manyDetailLinesAfterTheBasicOnes_findsTheLastBasicLinesInOrder() {
    JobLog log = new MemoryLogStore().open("job");
    for (int i = 1; i <= 30; i++) log.append(LogLevel.NOTICE, "notice " + i);
    for (int i = 0; i < 5000; i++) log.append(LogLevel.DETAIL, "detail " + i);
    log.append(LogLevel.ERROR, "the end");
    assertThat(LastLines.basic(log, 3)).extracting(LogLine::text).containsExactly("notice 29", "notice 30", "the end");
  }

  @Test
  void basic_fewerLinesThanAsked_givesAllOfThem() {
    JobLog log = new MemoryLogStore().open("job");
    log.append(LogLevel.DETAIL, "detail");
    log.append(LogLevel.SYSTEM, "only");
    assertThat(LastLines.basic(log, 20)).extracting(LogLine::text).containsExactly("only");
    assertThat(LastLines.basic(new MemoryLogStore().open("empty"), 20)).isEmpty();
  }
}
