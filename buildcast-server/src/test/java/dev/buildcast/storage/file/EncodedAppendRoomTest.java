package dev.buildcast.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class EncodedAppendRoomTest {

  private final EncodedAppend.Room room = new EncodedAppend.Room();

  @Test
  void text_nextAppendOfAFittingSize_reusesTheBufferWithTheNewLimit() {
    ByteBuffer first = room.text(1000);
    first.put(new byte[1000]);
    ByteBuffer second = room.text(10);
    assertThat(second).isSameAs(first);
    assertThat(second.position()).isZero();
    assertThat(second.limit()).isEqualTo(10);
  }

  @Test
  void text_largerThanKept_isMadeForThatAppendAlone() {
    ByteBuffer kept = room.text(1000);
    ByteBuffer large = room.text(EncodedAppend.Room.KEPT_BYTES + 1);
    assertThat(large).isNotSameAs(kept);
    assertThat(large.limit()).isEqualTo(EncodedAppend.Room.KEPT_BYTES + 1);
    assertThat(room.text(1000)).isSameAs(kept);
  }
}
