package dev.buildcast.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {

  private static CliArgs parse(String... args) {
    return CliArgs.parse(List.of(args), Set.of("--param", "--server"), Set.of("--detail"));
  }

  @Test
  void parse_mixedForms_readsValuesFlagsAndPositionals() {
    CliArgs a = parse("--param", "a=1", "file.zip", "--param=b=2", "--detail", "--server=http://x");
    assertThat(a.values("--param")).containsExactly("a=1", "b=2");
    assertThat(a.flag("--detail")).isTrue();
    assertThat(a.value("--server")).contains("http://x");
    assertThat(a.positional()).containsExactly("file.zip");
  }

  @Test
  void parse_doubleDash_takesTheRestAsPositionals() {
    assertThat(parse("--", "--detail").positional()).containsExactly("--detail");
  }

  @Test
  void parse_mistakes_refusedSayingWhich() {
    assertThatThrownBy(() -> parse("--bogus")).isInstanceOf(CliArgs.UsageException.class).hasMessageContaining("--bogus");
    assertThatThrownBy(() -> parse("--server")).hasMessageContaining("--server needs a value");
    assertThatThrownBy(() -> parse("--detail=yes")).hasMessageContaining("takes no value");
    assertThatThrownBy(() -> parse("--server", "a", "--server", "b").value("--server")).hasMessageContaining("more than once");
  }
}
