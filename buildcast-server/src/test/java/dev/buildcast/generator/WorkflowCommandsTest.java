package dev.buildcast.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.buildcast.log.LogLevel;
import dev.buildcast.log.LogSink;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkflowCommandsTest {

  private final List<String> out = new ArrayList<>();
  private final LogSink sink =
      new LogSink() {
        @Override
        public void append(LogLevel level, String text) {
          out.add(level.wireName() + ":" + text);
        }

        @Override
        public void progress(int percentage) {
          out.add("progress:" + percentage);
        }

        @Override
        public void mask(String secret) {
          out.add("mask:" + secret);
        }
      };
  private final WorkflowCommands commands = new WorkflowCommands(sink);

  @Test
  void accept_eachCommand_mapsToItsLevel() {
    List.of("::notice::hi", "::warning::careful", "::error::broke", "::group::Step 1", "::endgroup::", "plain")
        .forEach(commands::accept);
    assertThat(out).containsExactly("notice:hi", "warning:careful", "error:broke", "group:Step 1", "endgroup:", "detail:plain");
  }

  @Test
  void accept_progress_setsPercentageWithoutALine() {
    commands.accept("::progress::42");
    commands.accept("::progress::100%");
    assertThat(out).containsExactly("progress:42", "progress:100");
  }

  @Test
  void accept_badProgress_keepsLineAsDetail() {
    commands.accept("::progress::lots");
    commands.accept("::progress::101");
    assertThat(out).containsExactly("detail:::progress::lots", "detail:::progress::101");
  }

  @Test
  void accept_addMask_registersSecretAndWritesNoLine() {
    commands.accept("::add-mask::s3cr3t");
    assertThat(out).containsExactly("mask:s3cr3t");
  }

  @Test
  void accept_commandNotAtLineStart_isPlainDetail() {
    commands.accept("  ::error::indented");
    commands.accept("::unknown::x");
    assertThat(out).containsExactly("detail:  ::error::indented", "detail:::unknown::x");
  }
}
