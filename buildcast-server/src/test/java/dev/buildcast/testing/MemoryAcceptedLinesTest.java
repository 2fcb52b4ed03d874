package dev.buildcast.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.buildcast.log.cluster.AcceptedLines;
import dev.buildcast.log.cluster.AcceptedLinesContract;
import dev.buildcast.log.cluster.AppendResult;
import dev.buildcast.EngineUnavailableException;
import dev.buildcast.log.cluster.LogOwner;
import org.junit.jupiter.api.Test;

/** The accepted-lines contract on the in-memory engine, and the failures it plays for tests. */
class MemoryAcceptedLinesTest extends AcceptedLinesContract {

  private MemoryAcceptedLines memory;

  @Override
  protected AcceptedLines newEngine() {
    memory = new MemoryAcceptedLines();
    return memory;
  }

  @Override
  protected void assignOwner(String jobId, LogOwner owner) {
    memory.assignOwner(jobId, owner);
  }

  @Test
  void loseLastEntries_thenAppend_answersAGapAtWhatIsLeft() {
    engine.append("job-1", N1, 0, lines(1, 3));
    engine.append("job-1", N1, 3, lines(4, 5));
    memory.loseLastEntries("job-1", 1);
    assertThat(engine.append("job-1", N1, 5, lines(6, 6))).isEqualTo(AppendResult.gap(3));
    assertThat(memory.lines("job-1")).containsExactlyElementsOf(lines(1, 3));
  }

  @Test
  void goDown_thenCalls_throwUntilItComesBack() {
    memory.goDown();
    assertThatThrownBy(() -> engine.append("job-1", N1, 0, lines(1, 1))).isInstanceOf(EngineUnavailableException.class);
    memory.comeBack();
    assertThat(engine.append("job-1", N1, 0, lines(1, 1)).outcome()).isEqualTo(AppendResult.Outcome.ACCEPTED);
  }

  @Test
  void loseAnswers_appendLandsButThrows_retryIsDuplicate() {
    memory.loseAnswers(true);
    assertThatThrownBy(() -> engine.append("job-1", N1, 0, lines(1, 2))).isInstanceOf(EngineUnavailableException.class);
    memory.loseAnswers(false);
    assertThat(engine.append("job-1", N1, 0, lines(1, 2))).isEqualTo(AppendResult.duplicate(2));
  }
}
