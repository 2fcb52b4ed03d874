package dev.buildcast.socketio.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

  @Test
  void offer_batchOverBound_nothingQueued() {
    OutboundQueue q = new OutboundQueue(10, 100);
    q.offer(List.of(EngineMessage.text("1")));
    assertThat(q.offer(List.of(EngineMessage.text("12345"), EngineMessage.text("123456")))).isFalse();
    assertThat(q.messages()).isEqualTo(1);
    assertThat(q.bytes()).isEqualTo(1);
  }

  @Test
  void offer_batchLargerThanTheBoundsOnAnEmptyQueue_isTakenWhole() {
    // why: refused, it could never fit, and its sender would wait for a drain forever
    OutboundQueue q = new OutboundQueue(10, 1);
    assertThat(q.offer(List.of(EngineMessage.text("12345"), EngineMessage.text("123456")))).isTrue();
    assertThat(q.messages()).isEqualTo(2);
    assertThat(q.offer(List.of(EngineMessage.text("1")))).isFalse();
  }

  @Test
  void offerPastBound_fullQueue_isTakenAndCounted() {
    OutboundQueue q = new OutboundQueue(10, 1);
    q.offer(List.of(EngineMessage.text("12345")));
    assertThat(q.offer(List.of(EngineMessage.text("1")))).isFalse();
    q.offerPastBound(List.of(EngineMessage.text("41")));
    assertThat(q.messages()).isEqualTo(2);
    assertThat(q.bytes()).isEqualTo(7);
    assertThat(q.peekFirst(10, 1000)).hasSize(2);
  }

  @Test
  void peekFirst_takesUpToTheCountOrTheBytes_leavesTheQueueAsItIs() {
    OutboundQueue q = new OutboundQueue(1000, 100);
    q.offer(List.of(EngineMessage.text("aaaa"), EngineMessage.text("bbbb"), EngineMessage.text("cccc")));
    q.offerControl(OutboundPacket.PING);

    assertThat(q.peekFirst(2, 1000)).hasSize(2);
    assertThat(q.peekFirst(10, 8)).hasSize(2); // a third message would pass 8 bytes
    assertThat(q.peekFirst(10, 1000)).hasSize(4); // control packets count no bytes
    assertThat(q.peekFirst(10, 2)).as("a first packet larger than the bytes is still taken").hasSize(1);
    assertThat(q.size()).isEqualTo(4);
  }

  @Test
  void controlPackets_neverRefusedNorCounted() {
    OutboundQueue q = new OutboundQueue(1, 1);
    q.offer(List.of(EngineMessage.text("a")));
    q.offerControl(OutboundPacket.PING);
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.messages()).isEqualTo(1);
    assertThat(q.bytes()).isEqualTo(1);
  }

  @Test
  void remove_afterRefusal_drainReportedOnceBelowHalf() {
    OutboundQueue q = new OutboundQueue(1000, 4);
    for (int i = 0; i < 4; i++) q.offer(List.of(EngineMessage.text("m")));
    assertThat(q.offer(List.of(EngineMessage.text("m")))).isFalse();

    assertThat(q.remove()).isFalse(); // 3 left: above half
    assertThat(q.remove()).isTrue(); // 2 left: half
    assertThat(q.remove()).isFalse(); // reported once
  }

  @Test
  void remove_withoutRefusal_neverReportsDrain() {
    OutboundQueue q = new OutboundQueue(1000, 4);
    q.offer(List.of(EngineMessage.text("m")));
    assertThat(q.remove()).isFalse();
  }

  @Test
  void takeBatch_respectsMaxPayloadButTakesAtLeastOne() {
    OutboundQueue q = new OutboundQueue(10_000, 100);
    q.offer(List.of(EngineMessage.text("a".repeat(50)), EngineMessage.text("b"), EngineMessage.text("c")));
    boolean[] drained = new boolean[1];
    assertThat(q.takeBatch(10, drained)).hasSize(1);
    assertThat(q.takeBatch(10, drained)).hasSize(2);
    assertThat(q.isEmpty()).isTrue();
  }
}
